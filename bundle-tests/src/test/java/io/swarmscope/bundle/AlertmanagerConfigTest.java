package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * alerts/alertmanager.yml: amtool accepts it, every alert of the rules routes to the receiver its
 * severity calls for (`amtool config routes test`), inhibition rules name real alerts, and a real
 * Alertmanager started on the config inhibits a down node's container alerts and nothing else, and
 * lost quorum its consequences.
 */
class AlertmanagerConfigTest {

  private static final String CONFIG = "alerts/alertmanager.yml";
  private static final Map<String, String> RECEIVER_BY_SEVERITY =
      Map.of("critical", "critical", "warning", "warning", "none", "null");

  @Test
  void amtoolAcceptsTheConfig() {
    Tools.require("amtool");
    String out = Tools.succeed(List.of("amtool", "check-config", CONFIG), 60);
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void everyAlertRoutesByItsSeverity() {
    Tools.require("amtool");
    for (JsonNode rule : Bundle.alertRules()) {
      String alert = rule.get("alert").asText();
      String severity = rule.path("labels").path("severity").asText();
      String expected = RECEIVER_BY_SEVERITY.get(severity);
      Tools.Exec e = Tools.run(List.of("amtool", "config", "routes", "test", "--config.file=" + CONFIG,
          "--verify.receivers=" + expected, "alertname=" + alert, "severity=" + severity,
          "service=shop_api", "node=node-1"), 30);
      assertEquals(0, e.exitCode(), alert + " should route to " + expected + ": " + e.output());
    }
  }

  @Test
  void unknownSeverityFallsBackToTheWarningReceiver() {
    Tools.require("amtool");
    Tools.succeed(List.of("amtool", "config", "routes", "test", "--config.file=" + CONFIG,
        "--verify.receivers=warning", "alertname=SomethingNew"), 30);
  }

  @Test
  void inhibitionRulesNameExistingAlerts() {
    Set<String> alerts = new TreeSet<>();
    Bundle.alertRules().forEach(r -> alerts.add(r.get("alert").asText()));
    Pattern alertname = Pattern.compile("alertname=~?\"([^\"]+)\"");
    Set<String> unknown = new TreeSet<>();
    for (JsonNode rule : Bundle.yaml(CONFIG).get("inhibit_rules")) {
      List<JsonNode> matchers = new ArrayList<>();
      rule.path("source_matchers").forEach(matchers::add);
      rule.path("target_matchers").forEach(matchers::add);
      for (JsonNode m : matchers) {
        Matcher mm = alertname.matcher(m.asText());
        if (mm.find()) {
          Arrays.stream(mm.group(1).split("\\|")).filter(a -> !alerts.contains(a)).forEach(unknown::add);
        }
      }
    }
    assertEquals(Set.of(), unknown, "inhibition rules name alerts the rules do not define");
  }

  @Test
  void aDownNodeInhibitsItsOwnContainerAlertsOnly(@TempDir Path tmp) throws Exception {
    Tools.require("prometheus-alertmanager");
    Path webhook = tmp.resolve("slack_webhook");
    Files.writeString(webhook, "http://127.0.0.1:9/unused");
    Path config = tmp.resolve("alertmanager.yml");
    Files.writeString(config, Files.readString(Bundle.file(CONFIG))
        .replace("/run/secrets/alertmanager_slack_webhook", webhook.toString()));
    int port = Tools.freePort();
    Process am = new ProcessBuilder("prometheus-alertmanager", "--config.file=" + config,
        "--storage.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("alertmanager.log").toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      waitReady(http, base + "/-/ready", tmp.resolve("alertmanager.log"));

      List<Map<String, String>> alerts = List.of(
          labels("NodeDown", "critical", "node", "node-2"),
          labels("ContainerRestarting", "warning", "node", "node-2", "service", "shop_api"),
          labels("ContainerRestarting", "warning", "node", "node-1", "service", "shop_api"),
          labels("ContainerCrashLooping", "critical", "node", "node-1", "service", "shop_web", "stack", "shop"),
          labels("ContainerRestarting", "warning", "node", "node-1", "service", "shop_web", "stack", "shop"),
          labels("ServiceBelowDesiredReplicas", "warning", "service", "shop_api"),
          labels("SwarmscopeExporterMissing", "warning", "node", "node-2"),
          labels("SwarmscopeTargetDown", "warning", "node", "node-3", "job", "swarmscope-exporter"),
          labels("SwarmscopeExporterMissing", "warning", "node", "node-3"),
          labels("SwarmscopeExporterMissing", "warning", "node", "node-4"),
          labels("SwarmManagerQuorumLost", "critical", "job", "swarmscope-exporter"),
          labels("SwarmManagerQuorumAtRisk", "warning", "job", "swarmscope-exporter"),
          labels("SwarmClusterStateMissing", "warning", "job", "swarmscope-exporter"));
      StringBuilder body = new StringBuilder("[");
      for (Map<String, String> a : alerts) {
        body.append(body.length() > 1 ? "," : "").append("{\"labels\":")
            .append(Bundle.JSON.writeValueAsString(a)).append(",\"startsAt\":\"")
            .append(Instant.now()).append("\"}");
      }
      body.append("]");
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, post.statusCode(), post.body());

      JsonNode got = Bundle.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      Map<String, String> stateByAlert = new LinkedHashMap<>();
      for (JsonNode a : got) {
        JsonNode l = a.get("labels");
        stateByAlert.put(l.get("alertname").asText() + "/" + l.path("node").asText("-") + "/"
            + l.path("service").asText("-"), a.get("status").get("state").asText());
      }
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("NodeDown/node-2/-", "active");
      expected.put("ContainerRestarting/node-2/shop_api", "suppressed");  // its node is down
      expected.put("ContainerRestarting/node-1/shop_api", "active");      // another node
      expected.put("ContainerCrashLooping/node-1/shop_web", "active");
      expected.put("ContainerRestarting/node-1/shop_web", "suppressed");  // crash-looping covers it
      expected.put("ServiceBelowDesiredReplicas/-/shop_api", "active");
      expected.put("SwarmscopeExporterMissing/node-2/-", "suppressed");  // its node is down
      expected.put("SwarmscopeTargetDown/node-3/-", "active");
      expected.put("SwarmscopeExporterMissing/node-3/-", "suppressed");  // the target is down
      expected.put("SwarmscopeExporterMissing/node-4/-", "active");
      expected.put("SwarmManagerQuorumLost/-/-", "active");
      expected.put("SwarmManagerQuorumAtRisk/-/-", "suppressed");        // quorum is already lost
      expected.put("SwarmClusterStateMissing/-/-", "suppressed");        // no leader without quorum
      assertEquals(new TreeSet<>(expected.entrySet().stream().map(Object::toString).toList()),
          new TreeSet<>(stateByAlert.entrySet().stream().map(Object::toString).toList()));
    } finally {
      am.destroy();
      am.waitFor();
    }
  }

  private static Map<String, String> labels(String alertname, String severity, String... more) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("alertname", alertname);
    m.put("severity", severity);
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }

  static void waitReady(HttpClient http, String url, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(url + " not ready within 60 s; log:\n" + Files.readString(log));
  }
}
