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
 * On-call delivery: Slack, e-mail and PagerDuty receivers with every credential from a Docker
 * secret file, and notification templates (alerts/templates/) whose text, rendered by amtool on
 * recorded alert groups, is the golden text in fixtures/notifications/, with the Grafana view and
 * a Kibana search on the bundle's data view.
 */
class AlertmanagerConfigTest {

  private static final String CONFIG = "alerts/alertmanager.yml";
  private static final String TEMPLATES = "alerts/templates/*.tmpl";
  private static final List<String> TEMPLATE_NAMES = List.of("swarmscope.title", "swarmscope.text", "swarmscope.email.html");
  private static final Pattern KIBANA_QUERY = Pattern.compile(
      "Kibana: (\\S+)/app/discover#/\\S*dataViewId:([\\w-]+),\\S*query:\\(language:kuery,query:'([^']*)'\\)\\)");
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
  void receiversReachSlackEmailAndPagerDutyWithCredentialsFromSecretFiles() throws IOException {
    JsonNode config = Bundle.yaml(CONFIG);
    Map<String, Set<String>> kinds = new LinkedHashMap<>();
    for (JsonNode r : config.get("receivers")) {
      Set<String> k = new TreeSet<>();
      r.fieldNames().forEachRemaining(f -> {
        if (f.endsWith("_configs")) {
          k.add(f);
        }
      });
      kinds.put(r.get("name").asText(), k);
    }
    assertEquals(Set.of("email_configs", "pagerduty_configs", "slack_configs"), kinds.get("critical"));
    assertEquals(Set.of("email_configs", "slack_configs"), kinds.get("warning"));
    assertEquals(Set.of(), kinds.get("null"));

    // No credential in the file itself: only the *_file forms, each a secret Alertmanager mounts.
    String text = Files.readString(Bundle.file(CONFIG));
    for (String plain : List.of("slack_api_url:", "api_url:", "routing_key:", "service_key:", "smtp_auth_password:",
        "auth_password:", "smtp_auth_secret:")) {
      assertTrue(!Pattern.compile("(?m)^\\s*(- )?" + Pattern.quote(plain)).matcher(text).find(), "plain credential " + plain);
    }
    Set<String> read = new TreeSet<>();
    Matcher files = Pattern.compile("_file: /run/secrets/(\\w+)").matcher(text);
    while (files.find()) {
      read.add(files.group(1));
    }
    Set<String> mounted = new TreeSet<>();
    Bundle.yaml("stack.yml").path("services").path("alertmanager").path("secrets").forEach(n -> mounted.add(n.asText()));
    assertEquals(mounted, read, "secrets stack.yml gives Alertmanager vs. the *_file settings that read them");
    assertEquals(Set.of("alertmanager_pagerduty_key", "alertmanager_slack_webhook", "alertmanager_smtp_password"), read);
    assertTrue(text.contains("\ntemplates:\n  - templates/*.tmpl\n"), "templates relative to the config file");
  }

  @Test
  void notificationsRenderTheGoldenTextWithGrafanaAndKibanaLinks() throws IOException {
    Tools.require("amtool");
    for (String fixture : List.of("service-alert", "node-alert")) {
      Path data = Bundle.file("bundle-tests/src/test/resources/fixtures/notifications/" + fixture + ".json");
      StringBuilder rendered = new StringBuilder();
      for (String template : TEMPLATE_NAMES) {
        rendered.append("== ").append(template).append('\n').append(Tools.succeed(List.of("amtool", "template", "render",
            "--template.glob=" + TEMPLATES, "--template.data=" + data,
            "--template.text={{ template \"" + template + "\" . }}"), 30)).append('\n');
      }
      Path golden = data.resolveSibling(fixture + ".txt");
      assertEquals(Files.readString(golden), rendered.toString(), fixture + " rendered vs. " + golden);

      // The Grafana view is the rule's dashboard_url; the Kibana search runs on the bundle's data
      // view with KQL that the saved searches' translator accepts.
      JsonNode alert = Bundle.json(data);
      assertTrue(rendered.toString().contains("Grafana: " + alert.path("commonAnnotations").path("dashboard_url").asText()));
      Matcher kibana = KIBANA_QUERY.matcher(rendered);
      assertTrue(kibana.find(), rendered::toString);
      assertEquals(alert.path("commonLabels").path("kibana_url").asText(), kibana.group(1));
      assertTrue(Files.readString(Bundle.file("config/kibana/saved-objects.ndjson"))
          .contains("\"type\":\"index-pattern\",\"id\":\"" + kibana.group(2) + "\""), kibana.group(2));
      String kql = java.net.URLDecoder.decode(kibana.group(3), java.nio.charset.StandardCharsets.UTF_8);
      String dsl = Kql.toDsl(kql).toString();
      assertTrue(dsl.contains("\"swarm.node\":\"" + alert.path("commonLabels").path("node").asText() + "\""), dsl);
      alert.path("commonLabels").path("service").asText("").lines().forEach(svc ->
          assertTrue(dsl.contains("\"swarm.service\":\"" + svc + "\""), dsl));
    }
  }

  /**
   * The real Alertmanager (Debian's 0.25) on the production config: it reads the Slack webhook and
   * the PagerDuty routing key from their secret files and sends the templates' text. Slack's and
   * PagerDuty's endpoints are an HTTP server in this JVM (the config's PagerDuty URL and group_wait
   * rewritten for the test; e-mail goes nowhere here).
   */
  @Test
  void aRealAlertmanagerSendsTheTemplatesToSlackAndPagerDutyWithFileCredentials(@TempDir Path tmp) throws Exception {
    Tools.require("prometheus-alertmanager");
    Map<String, JsonNode> received = new java.util.concurrent.ConcurrentHashMap<>();
    com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", ex -> {
      received.putIfAbsent(ex.getRequestURI().getPath(), Bundle.JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
    String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("alertmanager_slack_webhook"), endpoint + "/slack");
    Files.writeString(secrets.resolve("alertmanager_pagerduty_key"), "routing-key-from-the-file");
    Files.writeString(secrets.resolve("alertmanager_smtp_password"), "unused");
    Files.createDirectories(tmp.resolve("templates"));
    Files.copy(Bundle.file("alerts/templates/swarmscope.tmpl"), tmp.resolve("templates/swarmscope.tmpl"));
    String production = Files.readString(Bundle.file(CONFIG));
    assertTrue(production.contains("  group_wait: 30s\n") && production.contains("      - routing_key_file: "));
    Path config = tmp.resolve("alertmanager.yml");
    Files.writeString(config, production.replace("/run/secrets/", secrets + "/")
        .replace("  group_wait: 30s\n", "  group_wait: 1s\n")
        .replace("smtp.example.org:587", "127.0.0.1:9")
        .replace("      - routing_key_file: ", "      - url: " + endpoint + "/pagerduty\n        routing_key_file: "));
    int port = Tools.freePort();
    Process am = new ProcessBuilder("prometheus-alertmanager", "--config.file=" + config,
        "--storage.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--web.external-url=https://alertmanager.example.org", "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("alertmanager.log").toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      waitReady(http, base + "/-/ready", tmp.resolve("alertmanager.log"));
      String dashboard = "https://grafana.example.org/d/swarmscope-service/swarm-service?var-stack=shop&var-service=shop_web&var-node=node-1";
      String alert = "[{\"labels\":{\"alertname\":\"ContainerCrashLooping\",\"severity\":\"critical\",\"stack\":\"shop\","
          + "\"service\":\"shop_web\",\"node\":\"node-1\",\"kibana_url\":\"https://kibana.example.org\"},"
          + "\"annotations\":{\"summary\":\"shop_web is crash-looping on node-1\",\"description\":\"shop_web restarted 12 times on node-1.\","
          + "\"runbook_url\":\"https://example.org/runbooks/container-crash-looping.md\",\"dashboard_url\":\"" + dashboard + "\"},"
          + "\"startsAt\":\"" + Instant.now() + "\",\"generatorURL\":\"https://prometheus.example.org/graph\"}]";
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alert)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, post.statusCode(), post.body());
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!(received.containsKey("/slack") && received.containsKey("/pagerduty")) && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
      }
      assertTrue(received.containsKey("/slack") && received.containsKey("/pagerduty"),
          () -> "received " + received.keySet() + "; log:\n" + readQuietly(tmp.resolve("alertmanager.log")));
      String kibana = "https://kibana.example.org/app/discover#/?_g=(time:(from:now-1h,to:now))&_a=(dataSource:(dataViewId:"
          + "swarmscope-logs,type:dataView),query:(language:kuery,query:'swarm.service:%22shop_web%22%20and%20swarm.node:%22node-1%22'))";

      JsonNode slack = received.get("/slack");
      assertEquals("#swarmscope-critical", slack.path("channel").asText(), slack::toString);
      JsonNode attachment = slack.path("attachments").path(0);
      assertEquals("[FIRING:1] ContainerCrashLooping shop_web on node-1", attachment.path("title").asText(), slack::toString);
      assertEquals(dashboard, attachment.path("title_link").asText(), slack::toString);
      assertEquals("FIRING: shop_web restarted 12 times on node-1.\n"
          + "Runbook: https://example.org/runbooks/container-crash-looping.md\n"
          + "Grafana: " + dashboard + "\n"
          + "Kibana: " + kibana + "\n"
          + "Alertmanager: https://alertmanager.example.org/#/alerts?receiver=critical", attachment.path("text").asText());

      JsonNode pagerduty = received.get("/pagerduty");
      assertEquals("routing-key-from-the-file", pagerduty.path("routing_key").asText(), pagerduty::toString);
      assertEquals("[FIRING:1] ContainerCrashLooping shop_web on node-1", pagerduty.path("payload").path("summary").asText(),
          pagerduty::toString);
      Map<String, String> links = new LinkedHashMap<>();
      pagerduty.path("links").forEach(l -> links.put(l.path("text").asText(), l.path("href").asText()));
      assertEquals(Map.of("Grafana", dashboard, "Kibana", kibana,
          "Runbook", "https://example.org/runbooks/container-crash-looping.md"), links);
    } finally {
      am.destroy();
      am.waitFor();
      receiver.stop(0);
    }
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void aDownNodeInhibitsItsOwnContainerAlertsOnly(@TempDir Path tmp) throws Exception {
    Tools.require("prometheus-alertmanager");
    // The production config with its secrets and templates beside it, as in the container.
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    for (String name : List.of("alertmanager_slack_webhook", "alertmanager_smtp_password", "alertmanager_pagerduty_key")) {
      Files.writeString(secrets.resolve(name), "http://127.0.0.1:9/unused");
    }
    Files.createDirectories(tmp.resolve("templates"));
    Files.copy(Bundle.file("alerts/templates/swarmscope.tmpl"), tmp.resolve("templates/swarmscope.tmpl"));
    Path config = tmp.resolve("alertmanager.yml");
    Files.writeString(config, Files.readString(Bundle.file(CONFIG)).replace("/run/secrets/", secrets + "/"));
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
