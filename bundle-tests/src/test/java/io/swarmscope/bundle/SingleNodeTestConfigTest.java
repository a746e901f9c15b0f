package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * config/single-node-test/ (what stack.single-node-test.yml gives Prometheus and Alertmanager for
 * StackDeployIT) stays the production configuration except for what the test needs to be fast:
 * Prometheus' intervals, ServiceErrorLogRateHigh's windows and `for`, Alertmanager's receivers and
 * group_wait. So the end-to-end test proves the production routing, relabelling and alert shape.
 */
class SingleNodeTestConfigTest {

  @Test
  void prometheusConfigIsProductionWithShorterIntervals() {
    ObjectNode test = (ObjectNode) Bundle.yaml("config/single-node-test/prometheus.yml");
    JsonNode production = Bundle.yaml("config/prometheus/prometheus.yml");
    assertEquals("5s", test.path("global").path("scrape_interval").asText());
    assertEquals("5s", test.path("global").path("evaluation_interval").asText());
    ((ObjectNode) test.get("global")).setAll((ObjectNode) production.get("global").deepCopy());
    for (JsonNode job : test.get("scrape_configs")) {
      for (JsonNode sd : job.path("dockerswarm_sd_configs")) {
        ((ObjectNode) sd).put("refresh_interval", "30s");
      }
    }
    assertEquals(production, test);
  }

  @Test
  void errorRateRuleHasTheProductionShapeWithShortWindows() {
    JsonNode production = rule(Bundle.yaml("alerts/swarmscope.rules.yml"), "ServiceErrorLogRateHigh");
    JsonNode test = rule(Bundle.yaml("config/single-node-test/error-rate.rules.yml"), "ServiceErrorLogRateHigh");
    assertEquals(production.get("expr").asText().replace("rate5m", "rate1m").replace("rate1d", "rate10m"),
        test.get("expr").asText());
    assertEquals("15s", test.get("for").asText());
    assertEquals(production.get("labels"), test.get("labels"));
    List<String> keys = new ArrayList<>();
    production.get("annotations").fieldNames().forEachRemaining(keys::add);
    List<String> testKeys = new ArrayList<>();
    test.get("annotations").fieldNames().forEachRemaining(testKeys::add);
    assertEquals(keys, testKeys);
    for (String same : List.of("summary", "runbook_url", "dashboard_url")) {
      assertEquals(production.get("annotations").get(same), test.get("annotations").get(same), same);
    }
    // The recording rules it uses: the production ones with the short windows.
    for (String[] w : new String[][] {{"rate5m", "rate1m", "[5m]", "[1m]"}, {"rate1d", "rate10m", "[1d]", "[10m]"}}) {
      JsonNode p = record(Bundle.yaml("alerts/swarmscope.rules.yml"), "stack_service_node:log_error_lines:" + w[0]);
      JsonNode t = record(Bundle.yaml("config/single-node-test/error-rate.rules.yml"), "stack_service_node:log_error_lines:" + w[1]);
      assertEquals(p.get("expr").asText().replace(w[2], w[3]), t.get("expr").asText());
    }
    Tools.require("promtool");
    Tools.succeed(List.of("promtool", "check", "rules", "config/single-node-test/error-rate.rules.yml"), 60);
  }

  @Test
  void alertmanagerConfigRoutesAndInhibitsAsProduction() {
    JsonNode test = Bundle.yaml("config/single-node-test/alertmanager.yml");
    JsonNode production = Bundle.yaml("alerts/alertmanager.yml");
    assertEquals(production.get("inhibit_rules"), test.get("inhibit_rules"));
    assertEquals(production.path("route").path("group_by"), test.path("route").path("group_by"));
    assertEquals(production.path("route").path("receiver"), test.path("route").path("receiver"));
    assertEquals(production.path("route").path("routes"), test.path("route").path("routes"));
    List<String> names = new ArrayList<>();
    production.get("receivers").forEach(r -> names.add(r.get("name").asText()));
    List<String> testNames = new ArrayList<>();
    for (JsonNode r : test.get("receivers")) {
      testNames.add(r.get("name").asText());
      if (!r.get("name").asText().equals("null")) {
        String url = r.path("webhook_configs").path(0).path("url").asText();
        assertTrue(url.startsWith("http://host.docker.internal:18093/"), r.toString());
      }
    }
    assertEquals(names, testNames);
    Tools.require("amtool");
    Tools.succeed(List.of("amtool", "check-config", "config/single-node-test/alertmanager.yml"), 60);
  }

  private static JsonNode rule(JsonNode rules, String alert) {
    for (JsonNode g : rules.get("groups")) {
      for (JsonNode r : g.get("rules")) {
        if (r.path("alert").asText().equals(alert)) {
          return r;
        }
      }
    }
    throw new AssertionError("no alert " + alert);
  }

  private static JsonNode record(JsonNode rules, String name) {
    for (JsonNode g : rules.get("groups")) {
      for (JsonNode r : g.get("rules")) {
        if (r.path("record").asText().equals(name)) {
          return r;
        }
      }
    }
    throw new AssertionError("no recording rule " + name);
  }
}
