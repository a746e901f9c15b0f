package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure option end to end without a swarm: scripts/create-metrics-auth.sh makes the secrets,
 * the exporter image serves with that web config file, and a real Prometheus scrapes it with the
 * swarmscope-exporter job's scheme, basic_auth and tls_config from
 * config/prometheus/prometheus.secure.yml (discovery replaced by the container's name). A copy of
 * the job with a wrong password shows the scrape is really checked: it is down, the right one up.
 * With {@code CI=true} a missing Docker fails the test, elsewhere it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureScrapeIT {

  private static final String PREFIX = System.getProperty("swarmscope.it.prefix", "swarmscope-securescrape-it")
      + "-" + UUID.randomUUID().toString().substring(0, 6);
  private static final String LABEL = "io.swarmscope.test=secure-scrape";
  private static final String NETWORK = PREFIX + "-net";
  private static final String EXPORTER = PREFIX + "-exporter";
  private static final String PROMETHEUS = PREFIX + "-prometheus";

  @TempDir static Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> containers = new ArrayList<>();
  private String prometheusUrl;

  @BeforeAll
  void start() throws IOException {
    Tools.require("docker");
    Tools.Exec info = Tools.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30);
    if (Tools.inCi()) {
      assertEquals(0, info.exitCode(), "Docker is needed: " + info.output());
    } else {
      assumeTrue(info.exitCode() == 0, "Docker is not reachable: " + info.output());
    }
    Tools.succeed(List.of("scripts/build-bundle-images.sh"), 1200);
    Path secrets = tmp.resolve("secrets");
    Tools.succeed(List.of("scripts/create-metrics-auth.sh", secrets.toString()), 60);
    // Docker secrets are world-readable files in /run/secrets; the bind mounts stand in for them.
    Tools.succeed(List.of("chmod", "-R", "a+rX", tmp.toString()), 10);
    Tools.succeed(List.of("docker", "network", "create", "--label", LABEL, NETWORK), 60);

    run(EXPORTER, List.of("--user", "65534:65534", "--cap-drop", "ALL",
        "-v", secrets.resolve("swarmscope_web_config.yml") + ":/run/secrets/swarmscope_web_config:ro",
        "-v", secrets.resolve("swarmscope_metrics_tls.crt") + ":/run/secrets/swarmscope_metrics_tls_crt:ro",
        "-v", secrets.resolve("swarmscope_metrics_tls.key") + ":/run/secrets/swarmscope_metrics_tls_key:ro"),
        "local/swarmscope-exporter:test", "--docker.host=", "--collector.disable-defaults",
        "--collector.loadavg", "--web.config.file=/run/secrets/swarmscope_web_config");

    Path wrongPassword = Files.writeString(tmp.resolve("wrong_password"), "not-the-password");
    Path config = Files.writeString(tmp.resolve("prometheus.yml"), prometheusConfig());
    Tools.succeed(List.of("chmod", "a+r", wrongPassword.toString(), config.toString()), 10);
    run(PROMETHEUS, List.of("-p", "127.0.0.1::9090",
        "-v", config + ":/etc/prometheus/prometheus.yml:ro",
        "-v", secrets.resolve("prometheus_scrape_password") + ":/run/secrets/prometheus_scrape_password:ro",
        "-v", wrongPassword + ":/run/secrets/wrong_password:ro",
        "-v", secrets.resolve("swarmscope_metrics_tls.crt") + ":/run/secrets/swarmscope_metrics_tls_crt:ro"),
        "local/prometheus:bundle-test");
    prometheusUrl = "http://" + Tools.succeed(List.of("docker", "port", PROMETHEUS, "9090/tcp"), 30)
        .lines().findFirst().orElseThrow().strip().replace("0.0.0.0", "127.0.0.1");
  }

  /** The secure exporter job with a static target, and its copy with a wrong password. */
  private static String prometheusConfig() throws IOException {
    JsonNode secure = Bundle.yaml("config/prometheus/prometheus.secure.yml");
    ObjectNode job = null;
    for (JsonNode j : secure.path("scrape_configs")) {
      if (j.path("job_name").asText().equals("swarmscope-exporter")) {
        job = (ObjectNode) j.deepCopy();
      }
    }
    assertTrue(job != null, "no swarmscope-exporter job in prometheus.secure.yml");
    job.remove(List.of("dockerswarm_sd_configs", "relabel_configs", "metric_relabel_configs"));
    job.set("static_configs", Bundle.JSON.readTree("[{\"targets\": [\"" + EXPORTER + ":9100\"]}]"));
    ObjectNode wrong = job.deepCopy();
    wrong.put("job_name", "wrong-password");
    ((ObjectNode) wrong.path("basic_auth")).put("password_file", "/run/secrets/wrong_password");
    ObjectNode root = Bundle.JSON.createObjectNode();
    root.set("global", Bundle.JSON.readTree("{\"scrape_interval\": \"1s\", \"scrape_timeout\": \"1s\"}"));
    ArrayNode jobs = root.putArray("scrape_configs");
    jobs.add(job);
    jobs.add(wrong);
    return Bundle.YAML.writeValueAsString(root);
  }

  @AfterAll
  void remove() {
    for (String c : containers) {
      Tools.run(List.of("docker", "rm", "-f", c), 60);
    }
    Tools.run(List.of("docker", "network", "rm", NETWORK), 60);
  }

  @Test
  void prometheusScrapesTheExporterOverHttpsWithTheRightPasswordOnly() {
    Map<String, JsonNode> targets = awaitTargets(Duration.ofSeconds(90));
    JsonNode right = targets.get("swarmscope-exporter");
    assertEquals("up", right.path("health").asText(), right.toString());
    assertTrue(right.path("scrapeUrl").asText().startsWith("https://"), right.toString());
    JsonNode wrong = targets.get("wrong-password");
    assertEquals("down", wrong.path("health").asText(), wrong.toString());
    assertTrue(wrong.path("lastError").asText().contains("401"), wrong.toString());
    JsonNode load = query("node_load1{job=\"swarmscope-exporter\"}");
    assertEquals(1, load.path("data").path("result").size(), load.toString());
  }

  /** Both jobs' targets once each has been scraped at least once. */
  private Map<String, JsonNode> awaitTargets(Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      try {
        JsonNode r = Bundle.JSON.readTree(get("/api/v1/targets"));
        last = r.toString();
        Map<String, JsonNode> byJob = new TreeMap<>();
        for (JsonNode t : r.path("data").path("activeTargets")) {
          if (!t.path("health").asText().equals("unknown")) {
            byJob.put(t.path("labels").path("job").asText(), t);
          }
        }
        if (byJob.size() == 2) {
          return byJob;
        }
      } catch (IOException | RuntimeException e) {
        last = e.toString();
      }
      sleep();
    }
    return fail("Prometheus did not scrape both jobs: " + last);
  }

  private JsonNode query(String promql) {
    try {
      return Bundle.JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String get(String path) throws IOException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(prometheusUrl + path)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private void run(String name, List<String> options, String image, String... command) {
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", LABEL,
        "--network", NETWORK));
    cmd.addAll(options);
    cmd.add(image);
    cmd.addAll(List.of(command));
    containers.add(name);
    Tools.succeed(cmd, 60);
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
