package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every PromQL expression of the dashboards and the rules against a real Prometheus (the
 * Debian binary) that scrapes a real node_exporter and fixture expositions of the exporter's
 * Swarm and container metrics, the log shipper and the Elasticsearch exporter, with the
 * production scrape config's metric relabelling and the production rules loaded. Every query
 * must parse and run; every dashboard query must return series, since the fixtures hold data for
 * all of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromQlOnPrometheusTest {

  /** Dashboard variables as a user would pick them, for the fixture's data. */
  private static final Map<String, String> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("__rate_interval", "1m");
    VARIABLES.put("__interval", "15s");
    VARIABLES.put("__range", "1h");
    VARIABLES.put("stack", "shop");
    VARIABLES.put("service", "shop_api");
    VARIABLES.put("node", "node-1");
  }

  /** Dashboard queries that may legitimately be empty, with the reason. */
  private static final Map<String, String> MAY_BE_EMPTY = Map.of(
      "ALERTS{alertstate=\"firing\"", "alerts fire only after their `for`; promtool tests cover firing");

  private Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> processes = new ArrayList<>();
  private HttpServer fixtures;
  private String prometheus;

  @BeforeAll
  void startPrometheus(@TempDir Path dir) throws Exception {
    tmp = dir;
    Tools.require("prometheus");
    Tools.require("prometheus-node-exporter");

    fixtures = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String name : List.of("exporter-swarm", "log-shipper", "elasticsearch-exporter")) {
      byte[] body = fixture(name + ".prom");
      fixtures.createContext("/" + name, ex -> {
        ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
      });
    }
    fixtures.start();
    String fixtureAddress = "127.0.0.1:" + fixtures.getAddress().getPort();

    int nodeExporterPort = Tools.freePort();
    start(tmp.resolve("node-exporter.log"), "prometheus-node-exporter",
        "--web.listen-address=127.0.0.1:" + nodeExporterPort);

    int port = Tools.freePort();
    prometheus = "http://127.0.0.1:" + port;
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, Bundle.YAML.writeValueAsString(
        testConfig("127.0.0.1:" + nodeExporterPort, fixtureAddress)));
    start(tmp.resolve("prometheus.log"), "prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port);
    AlertmanagerConfigTest.waitReady(http, prometheus + "/-/ready", tmp.resolve("prometheus.log"));

    // Every target up, and a few samples each so that rate() over 1m has two points.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      JsonNode up = query("min(up) and count(up) == 5");
      if (!up.path("data").path("result").isEmpty()) {
        break;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("targets not up: " + query("up") + "\n" + Files.readString(tmp.resolve("prometheus.log")));
      }
      Thread.sleep(250);
    }
    Thread.sleep(4_000);
  }

  @AfterAll
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      p.waitFor();
    }
    if (fixtures != null) {
      fixtures.stop(0);
    }
  }

  @Test
  void everyDashboardQueryRunsAndReturnsSeries() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      for (String expr : Dashboards.promQueries(Bundle.json(file))) {
        String q = substitute(expr);
        JsonNode r = query(q);
        if (!"success".equals(r.path("status").asText())) {
          problems.add(file.getFileName() + ": " + q + " -> " + r);
        } else if (r.path("data").path("result").isEmpty()
            && MAY_BE_EMPTY.keySet().stream().noneMatch(q::contains)) {
          problems.add(file.getFileName() + ": no series for " + q);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyVariableQueryFindsValues() throws Exception {
    Pattern labelValues = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
    List<String> problems = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      for (JsonNode v : Dashboards.variables(Bundle.json(file))) {
        if (!v.path("type").asText().equals("query")) {
          continue;
        }
        Matcher m = labelValues.matcher(v.path("definition").asText());
        if (!m.matches()) {
          problems.add(file.getFileName() + ": variable " + v.get("name") + " is not label_values(...)");
          continue;
        }
        String q = "count by (" + m.group(2) + ") (" + substitute(m.group(1)) + ")";
        JsonNode r = query(q);
        if (r.path("data").path("result").isEmpty()) {
          problems.add(file.getFileName() + ": variable " + v.get("name") + " finds no values: " + q + " -> " + r);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyRuleExpressionRuns() throws Exception {
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : Bundle.rules()) {
      String expr = rule.get("expr").asText();
      JsonNode r = query(expr);
      if (!"success".equals(r.path("status").asText()) || r.has("warnings")) {
        problems.add((rule.has("alert") ? rule.get("alert") : rule.get("record")).asText() + ": " + r);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void recordingRulesProduceSeriesFromTheFixtures() throws Exception {
    for (JsonNode rule : Bundle.rules()) {
      if (rule.has("record")) {
        String name = rule.get("record").asText();
        JsonNode r = query(name);
        assertTrue(!r.path("data").path("result").isEmpty(), name + " has no series: " + r);
      }
    }
  }

  @Test
  void seriesCarryTheNodeHostnameAndShortSwarmLabels() throws Exception {
    JsonNode cpu = query("container_cpu_usage_seconds_total");
    for (JsonNode s : cpu.path("data").path("result")) {
      JsonNode m = s.get("metric");
      assertEquals("node-1", m.path("node").asText(), m.toString());
      assertEquals("shop_api", m.path("service").asText(), m.toString());
      assertEquals("shop", m.path("stack").asText(), m.toString());
      assertTrue(m.path("task").asText().startsWith("shop_api."), m.toString());
    }
    assertTrue(query("count(node_uname_info{node=\"node-1\"})").path("data").path("result").size() == 1);
  }

  @Test
  void theFixturesFireTheAlertsTheyShould() throws Exception {
    // With `for` stripped, the fixture state (node-2 down, shop_api one replica short, its update
    // paused) must make these alerts' expressions true right away.
    for (String alert : List.of("NodeDown", "ServiceBelowDesiredReplicas", "ServiceUpdatePaused")) {
      JsonNode rule = Bundle.alertRules().stream().filter(r -> r.get("alert").asText().equals(alert))
          .findFirst().orElseThrow();
      JsonNode r = query(rule.get("expr").asText());
      assertEquals(1, r.path("data").path("result").size(), alert + ": " + r);
    }
  }

  /** The production scrape config with Swarm discovery swapped for the local targets. */
  private ObjectNode testConfig(String nodeExporter, String fixtureAddress) {
    JsonNode production = Bundle.yaml("config/prometheus/prometheus.yml");
    JsonNode exporterJob = job(production, "swarmscope-exporter");
    ObjectNode config = Bundle.JSON.createObjectNode();
    config.putObject("global").put("scrape_interval", "1s").put("evaluation_interval", "1s");
    config.putArray("rule_files").add(Bundle.file("alerts/swarmscope.rules.yml").toString());
    ArrayNode jobs = config.putArray("scrape_configs");

    ObjectNode exporter = jobs.addObject();
    exporter.put("job_name", "swarmscope-exporter");
    exporter.set("metric_relabel_configs", exporterJob.get("metric_relabel_configs"));
    ArrayNode exporterTargets = exporter.putArray("static_configs");
    staticTarget(exporterTargets, nodeExporter, "/metrics");
    staticTarget(exporterTargets, fixtureAddress, "/exporter-swarm");

    ObjectNode shipper = jobs.addObject();
    shipper.put("job_name", "swarmscope-log-shipper");
    shipper.put("honor_labels", job(production, "swarmscope-log-shipper").path("honor_labels").asBoolean());
    staticTarget(shipper.putArray("static_configs"), fixtureAddress, "/log-shipper");

    ObjectNode es = jobs.addObject();
    es.put("job_name", "elasticsearch");
    staticTarget(es.putArray("static_configs"), fixtureAddress, "/elasticsearch-exporter");

    ObjectNode self = jobs.addObject();
    self.put("job_name", "prometheus");
    self.putArray("static_configs").addObject().putArray("targets").add(prometheus.substring("http://".length()));
    return config;
  }

  private static void staticTarget(ArrayNode configs, String address, String path) {
    ObjectNode c = configs.addObject();
    c.putArray("targets").add(address);
    // What relabelling from __meta_dockerswarm_node_hostname gives in the swarm.
    c.putObject("labels").put("node", "node-1").put("__metrics_path__", path);
  }

  private static JsonNode job(JsonNode config, String name) {
    for (JsonNode j : config.get("scrape_configs")) {
      if (j.get("job_name").asText().equals(name)) {
        return j;
      }
    }
    throw new AssertionError("no job " + name + " in config/prometheus/prometheus.yml");
  }

  private static String substitute(String expr) {
    String q = expr;
    for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
      q = q.replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
    }
    return q;
  }

  private JsonNode query(String promql) throws IOException, InterruptedException {
    String url = prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return Bundle.JSON.readTree(r.body());
  }

  private void start(Path log, String... command) throws IOException {
    processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = PromQlOnPrometheusTest.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IOException("missing fixture " + name);
      }
      return in.readAllBytes();
    }
  }
}
