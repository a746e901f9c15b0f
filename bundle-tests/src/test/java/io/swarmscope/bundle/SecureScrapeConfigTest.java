package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * stack.secure.yml and config/prometheus/prometheus.secure.yml repeat what they override (compose
 * replaces a command and a config file whole): they must not drift from stack.yml and
 * prometheus.yml apart from what turns TLS and basic auth on.
 */
class SecureScrapeConfigTest {

  static final Set<String> SECURE_JOBS = Set.of("swarmscope-exporter", "swarmscope-log-shipper");

  @Test
  void thePrometheusConfigIsThePlainOnePlusAuthOnTheTwoSwarmscopeJobs() {
    JsonNode plain = Bundle.yaml("config/prometheus/prometheus.yml");
    ObjectNode secure = (ObjectNode) Bundle.yaml("config/prometheus/prometheus.secure.yml").deepCopy();
    List<String> secured = new ArrayList<>();
    for (JsonNode job : secure.path("scrape_configs")) {
      if (SECURE_JOBS.contains(job.path("job_name").asText())) {
        assertEquals("https", job.path("scheme").asText(), job.toString());
        assertEquals("prometheus", job.path("basic_auth").path("username").asText());
        assertEquals("/run/secrets/prometheus_scrape_password", job.path("basic_auth").path("password_file").asText());
        assertEquals("/run/secrets/swarmscope_metrics_tls_crt", job.path("tls_config").path("ca_file").asText());
        assertEquals("swarmscope-metrics", job.path("tls_config").path("server_name").asText());
        ((ObjectNode) job).remove(List.of("scheme", "basic_auth", "tls_config"));
        secured.add(job.path("job_name").asText());
      }
    }
    assertEquals(SECURE_JOBS, Set.copyOf(secured));
    assertEquals(plain, secure, "prometheus.secure.yml differs from prometheus.yml beyond the auth settings");
  }

  @Test
  void theExportersCommandIsStackYmlsPlusTheWebConfigFlag() {
    JsonNode plain = Bundle.yaml("stack.yml").path("services").path("exporter").path("command");
    ArrayNode expected = ((ArrayNode) plain.deepCopy()).add("--web.config.file=/run/secrets/swarmscope_web_config");
    assertEquals(expected, Bundle.yaml("stack.secure.yml").path("services").path("exporter").path("command"));
    assertEquals("/run/secrets/swarmscope_web_config", Bundle.yaml("stack.secure.yml").path("services")
        .path("log-shipper").path("environment").path("SWARMSCOPE_WEB_CONFIG_FILE").asText());
  }
}
