package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The end-to-end proof on the machine's real single-node swarm: deploys the bundle with the
 * README's "Try it on one machine" commands (stack.yml + stack.single-node-test.yml: local images,
 * the metrics half, Elasticsearch and the shipper), makes the override's error-demo service log
 * ERROR lines and follows them: into Elasticsearch with their Swarm fields, into the shipper's
 * counter in Prometheus with the node label, into the ServiceErrorLogRateHigh alert that
 * Alertmanager posts to a webhook in this JVM (the latency from the first error line to the
 * webhook is measured). Then every dashboard query, variable and rule expression runs on the live
 * Prometheus, and the dashboards' Elasticsearch queries and the Kibana saved searches on the live
 * Elasticsearch. The stack and its volumes are removed before (leftovers of an earlier run) and
 * after, also when a test fails; {@code -Dstack.keep=true} leaves it running for a look.
 *
 * <p>With {@code CI=true} a missing Docker or swarm fails the test; elsewhere it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackDeployIT {

  private static final String STACK = "swarmscope";
  private static final String DEMO = STACK + "_error-demo";
  /** Where config/single-node-test/alertmanager.yml posts (host.docker.internal on the host). */
  private static final int WEBHOOK_PORT = 18093;
  private static final String PROMETHEUS = LiveStack.PROMETHEUS;
  private static final String ELASTICSEARCH = LiveStack.ELASTICSEARCH;
  /** stack.yml's default for GRAFANA_EXTERNAL_URL, which the alerts' dashboard links start with. */
  private static final String GRAFANA = "http://localhost:3000";
  /** The issue's target for the first error line to reach the webhook; -Dstack.alert.max.seconds. */
  private static final long ALERT_TARGET_SECONDS = Long.getLong("stack.alert.max.seconds", 45);
  private static final Pattern README_BLOCK = Pattern.compile(
      "<!-- StackDeployIT runs this block.*?-->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

  /** Dashboard queries that return nothing in this set-up, and why. */
  private static final Map<String, String> NO_DATA_HERE = Map.of(
      "elasticsearch_", "the Elasticsearch exporter has no local image: scaled to zero",
      "swarmscope_log_lines_dropped_total", "no line is dropped in this run",
      "swarmscope_log_rotation_losses_total", "no log file rotates away unread in this run");

  /** A query ending in a comparison with a constant, e.g. {@code desired - running > 0}. */
  private static final Pattern THRESHOLD = Pattern.compile("(?s)(.*\\S)\\s*>\\s*[0-9.]+\\s*$");

  private final JsonHttp json = new JsonHttp();
  private final HttpClient http = json.client();
  private final LiveStack stack = new LiveStack(STACK, Bundle.file("."));
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final List<Received> webhook = new CopyOnWriteArrayList<>();
  private final AtomicBoolean removed = new AtomicBoolean();
  private HttpServer receiver;
  private Thread shutdownHook;
  private String nodeHostname;
  private final Instant started = Instant.now();
  private final AtomicReference<JsonNode> alert = new AtomicReference<>();

  record Received(Instant at, String path, JsonNode body) {}

  @BeforeAll
  void deploy() throws Exception {
    LiveStack.requireSwarm();
    nodeHostname = docker(30, "node", "inspect", "self", "--format", "{{.Description.Hostname}}").strip();
    startWebhook();
    shutdownHook = new Thread(this::removeStack, "remove-stack");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    removeStack(); // what an earlier, interrupted run left
    removed.set(false);

    // The README's commands, line by line (the jars are what this Maven build packaged).
    Map<String, String> env = new HashMap<>();
    String esZip = System.getProperty("swarmscope.es.zip");
    if (esZip != null && Files.isRegularFile(Path.of(esZip))) {
      env.put("ES_ZIP", esZip);
    }
    List<String> lines = readmeCommands();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("docker stack deploy ") && l.contains("-c stack.yml")
        && l.contains("-c stack.single-node-test.yml") && l.endsWith(" " + STACK)),
        "the README block deploys stack.yml with stack.single-node-test.yml as " + STACK + ": " + lines);
    Instant deployStart = null;
    for (String line : lines) {
      if (line.matches("^(JAVA_HOME=\\S+ )?\\./mvnw .*")) {
        continue; // this build has packaged the jars
      }
      Instant t = Instant.now();
      if (line.startsWith("docker stack deploy ")) {
        deployStart = t;
      }
      Tools.Exec e = sh(line, env, 1200);
      assertEquals(0, e.exitCode(), () -> "README command failed: " + line + "\n" + e.output());
      figures.put("README: " + abbreviate(line), seconds(t, Instant.now()));
    }

    // Converged: every service has its tasks running, and the one-shot setup job has completed.
    Instant deployed = deployStart;
    await("every service to run its tasks", Duration.ofSeconds(300), () -> stack.converged() ? true : null);
    figures.put("deploy command to all services running (and setup complete)", seconds(deployed, Instant.now()));
    await("Prometheus to scrape the exporter and the shipper", Duration.ofSeconds(120), () -> {
      JsonNode r = promQuery("count(up{job=~\"swarmscope-exporter|swarmscope-log-shipper\"} == 1) == 2");
      return r.path("data").path("result").isEmpty() ? null : true;
    });
    await("the shipper's counters for " + DEMO + " in Prometheus", Duration.ofSeconds(120), () -> {
      JsonNode r = promQuery("swarmscope_log_lines_total{service=\"" + DEMO + "\",level=\"info\"} > 0");
      return r.path("data").path("result").isEmpty() ? null : true;
    });
    figures.put("deploy command to pipeline ready (targets up, demo's lines counted)", seconds(deployed, Instant.now()));
  }

  @AfterAll
  void tearDown() {
    System.out.println();
    System.out.println("StackDeployIT figures (" + Instant.now() + ", node " + nodeHostname + "):");
    figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    figures.clear();
    if (receiver != null) {
      receiver.stop(0);
    }
    if (Boolean.getBoolean("stack.keep")) {
      System.out.println("  -Dstack.keep=true: stack " + STACK + " left running; remove it with: docker stack rm " + STACK);
      return;
    }
    Instant t = Instant.now();
    removeStack();
    System.out.println("  stack removed in " + seconds(t, Instant.now()) + "; whole test " + seconds(started, Instant.now()));
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  // ---------------------------------------------------------------- the alert path

  @Test
  @Order(1)
  void errorLinesReachElasticsearchPrometheusAndTheWebhook() throws Exception {
    String container = await("the error-demo container", Duration.ofSeconds(60), () -> {
      String id = docker(30, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + DEMO).strip();
      return id.isEmpty() || id.contains("\n") ? null : id;
    });
    Instant trigger = Instant.now();
    docker(30, "exec", container, "touch", "/tmp/start-errors");

    JsonNode firing = await("ServiceErrorLogRateHigh for " + DEMO + " at the webhook", Duration.ofSeconds(180), () -> {
      for (Received r : webhook) {
        for (JsonNode a : r.body().path("alerts")) {
          if (a.path("status").asText().equals("firing")
              && a.path("labels").path("alertname").asText().equals("ServiceErrorLogRateHigh")
              && a.path("labels").path("service").asText().equals(DEMO)) {
            ObjectNode hit = a.deepCopy();
            hit.put("_receivedAt", r.at().toString());
            hit.put("_path", r.path());
            hit.set("_payload", r.body());
            return hit;
          }
        }
      }
      return null;
    });
    alert.set(firing);
    Instant receivedAt = Instant.parse(firing.get("_receivedAt").asText());

    // The error lines in Elasticsearch, with their Swarm fields.
    JsonNode first = await("the demo's error lines in Elasticsearch", Duration.ofSeconds(60), () -> {
      JsonNode r = esSearch("swarmscope-logs-*", "{\"size\":1,\"sort\":[{\"@timestamp\":\"asc\"}],"
          + "\"query\":{\"bool\":{\"filter\":[{\"term\":{\"swarm.service\":\"" + DEMO + "\"}},"
          + "{\"term\":{\"log.level\":\"error\"}}]}}}");
      JsonNode hits = r.path("hits").path("hits");
      return hits.isEmpty() ? null : hits.get(0).get("_source");
    });
    Instant firstError = Instant.parse(first.get("@timestamp").asText());
    long latencyMs = Duration.between(firstError, receivedAt).toMillis();
    figures.put("trigger to first error line (Docker timestamp)", seconds(trigger, firstError));
    figures.put("ALERT LATENCY first error line -> webhook", String.format("%.1f s (target <= %d s)",
        latencyMs / 1000.0, ALERT_TARGET_SECONDS));
    figures.put("first error line -> alert firing in Prometheus (startsAt)", String.format("%.1f s",
        Duration.between(firstError, Instant.parse(firing.path("startsAt").asText())).toMillis() / 1000.0));

    Map<String, String> expected = Map.of("swarm.service", DEMO, "swarm.stack", STACK, "host.name", nodeHostname,
        "log.level", "error", "swarm.node", nodeHostname, "service.name", DEMO);
    List<String> wrong = new ArrayList<>();
    expected.forEach((field, value) -> {
      String actual = JsonHttp.field(first, field);
      if (!value.equals(actual)) {
        wrong.add(field + "=" + actual + " (expected " + value + ")");
      }
    });
    if (!JsonHttp.field(first, "swarm.task").startsWith(DEMO + ".") || JsonHttp.field(first, "swarm.node_id").isEmpty()
        || JsonHttp.field(first, "container.id").isEmpty() || !JsonHttp.field(first, "message").startsWith("ERROR request")) {
      wrong.add("task/node_id/container.id/message: " + first);
    }
    assertEquals(List.of(), wrong, "first error document: " + first);

    // Stored through the index template (keyword fields of the daily index of the line's own
    // day, UTC), not by dynamic mapping.
    String day = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC).format(firstError);
    JsonNode mapping = json.get(ELASTICSEARCH + "/swarmscope-logs-*/_mapping/field/swarm.service");
    assertTrue(mapping.has("swarmscope-logs-" + day) && mapping.toString().contains("\"type\":\"keyword\""),
        "swarmscope-logs-" + day + " is not a daily index with the template's mapping: " + mapping);

    // The shipper's error counter in Prometheus, with the node label.
    JsonNode counter = promQuery("swarmscope_log_lines_total{level=\"error\",service=\"" + DEMO + "\"}");
    JsonNode series = counter.path("data").path("result");
    assertEquals(1, series.size(), counter::toString);
    JsonNode m = series.get(0).get("metric");
    assertEquals(nodeHostname, m.path("node").asText(), m::toString);
    assertEquals(STACK, m.path("stack").asText(), m::toString);
    assertEquals("swarmscope-log-shipper", m.path("job").asText(), m::toString);
    assertTrue(series.get(0).get("value").get(1).asDouble() > 0, series::toString);

    // The alert as the webhook got it: service, node and the links.
    JsonNode labels = firing.get("labels");
    JsonNode annotations = firing.get("annotations");
    assertEquals(nodeHostname, labels.path("node").asText(), firing::toString);
    assertEquals(STACK, labels.path("stack").asText(), firing::toString);
    assertEquals("warning", labels.path("severity").asText(), firing::toString);
    assertEquals("/alertmanager/warning", firing.get("_path").asText(), "routed by severity to the warning receiver");
    String runbook = annotations.path("runbook_url").asText();
    assertTrue(runbook.startsWith(Bundle.RUNBOOK_BASE), runbook);
    assertTrue(Files.isRegularFile(Bundle.file(runbook.substring(Bundle.RUNBOOK_BASE.length()))), runbook);
    assertEquals(GRAFANA + "/d/swarmscope-service/swarm-service?var-stack=" + STACK + "&var-service=" + DEMO
        + "&var-node=" + nodeHostname, annotations.path("dashboard_url").asText(), firing::toString);
    assertTrue(annotations.path("description").asText().contains(DEMO)
        && annotations.path("description").asText().contains(nodeHostname), firing::toString);
    assertTrue(firing.path("generatorURL").asText().startsWith("http://localhost:9090/"), firing::toString);
    // The production rule's expression (5-minute rate against the 1-day baseline, without its
    // 10-minute `for`) sees the same errors on the live data.
    JsonNode production = Bundle.alertRules().stream()
        .filter(r -> r.get("alert").asText().equals("ServiceErrorLogRateHigh")).findFirst().orElseThrow();
    JsonNode live = promQuery(production.get("expr").asText());
    assertTrue(live.toString().contains("\"service\":\"" + DEMO + "\"") && live.toString().contains("\"node\":\"" + nodeHostname + "\""),
        "the production ServiceErrorLogRateHigh expression is not true for " + DEMO + ": " + live);

    assertTrue(latencyMs <= ALERT_TARGET_SECONDS * 1000, "first error line to webhook took " + latencyMs
        + " ms, more than the target " + ALERT_TARGET_SECONDS + " s");
  }

  // ---------------------------------------------------------------- dashboards and rules

  @Test
  @Order(2)
  void everyDashboardQueryVariableAndRuleRunsOnTheLivePrometheus() throws Exception {
    Map<String, String> variables = variables();
    List<String> problems = new ArrayList<>();
    int queries = 0;
    int empty = 0;
    for (Path file : Dashboards.files()) {
      for (String expr : Dashboards.promQueries(Bundle.json(file))) {
        queries++;
        String q = substitute(expr, variables);
        JsonNode r = promQuery(q);
        if (!"success".equals(r.path("status").asText()) || r.has("warnings")) {
          problems.add(file.getFileName() + ": " + q + " -> " + r);
        } else if (r.path("data").path("result").isEmpty()) {
          empty++;
          Matcher filter = THRESHOLD.matcher(q);
          if (filter.matches()) {
            // A panel that lists only what crosses a threshold (services short of replicas): none
            // does here, but the series it compares must exist.
            if (promQuery(filter.group(1)).path("data").path("result").isEmpty()) {
              problems.add(file.getFileName() + ": no series for " + filter.group(1) + " (of " + q + ")");
            }
          } else if (NO_DATA_HERE.keySet().stream().noneMatch(q::contains)) {
            problems.add(file.getFileName() + ": no series for " + q);
          }
        }
      }
      Pattern labelValues = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
      for (JsonNode v : Dashboards.variables(Bundle.json(file))) {
        if (!v.path("type").asText().equals("query")) {
          continue;
        }
        Matcher lv = labelValues.matcher(v.path("definition").asText());
        if (!lv.matches()) {
          problems.add(file.getFileName() + ": variable " + v.get("name") + " is not label_values(...)");
          continue;
        }
        String name = v.get("name").asText();
        String q = "count by (" + lv.group(2) + ") (" + substitute(lv.group(1), variables) + ")";
        JsonNode r = promQuery(q);
        List<String> values = new ArrayList<>();
        r.path("data").path("result").forEach(s -> values.add(s.path("metric").path(lv.group(2)).asText()));
        if (!values.contains(variables.get(name))) {
          problems.add(file.getFileName() + ": variable " + name + " does not offer " + variables.get(name)
              + ": " + q + " -> " + values);
        }
      }
    }
    figures.put("dashboard PromQL queries run", queries + " (" + empty + " without data here: threshold filters"
        + " nothing crosses, and " + NO_DATA_HERE.values() + ")");

    int rules = 0;
    for (JsonNode rule : Bundle.rules()) {
      rules++;
      String expr = rule.get("expr").asText();
      JsonNode r = promQuery(expr);
      String name = (rule.has("alert") ? rule.get("alert") : rule.get("record")).asText();
      if (!"success".equals(r.path("status").asText()) || r.has("warnings")) {
        problems.add("rule " + name + ": " + r);
      }
      if (rule.has("record") && promQuery(name).path("data").path("result").isEmpty()) {
        problems.add("recording rule " + name + " has no series");
      }
    }
    // Prometheus itself evaluates them all, with the test rules, without error.
    JsonNode groups = promGet("/api/v1/rules").path("data").path("groups");
    int evaluated = 0;
    for (JsonNode g : groups) {
      for (JsonNode r : g.path("rules")) {
        evaluated++;
        if (!"ok".equals(r.path("health").asText())) {
          problems.add("Prometheus evaluates " + r.path("name").asText() + " with health "
              + r.path("health").asText() + ": " + r.path("lastError").asText());
        }
      }
    }
    assertEquals(Bundle.rules().size() + 3, evaluated, "rules loaded (production + 3 of config/single-node-test/)");
    figures.put("rule expressions run", rules + "; rules Prometheus evaluates with health ok: " + evaluated);
    assertEquals(List.of(), problems);
  }

  @Test
  @Order(4)
  void swarmSeriesReachPrometheusUnderTheNamesAndLabelsTheRulesUse() {
    // The exporter's own names, with no relabelling in between: service, not service_name.
    String demo = "{service=\"" + DEMO + "\",stack=\"" + STACK + "\",mode=\"replicated\"}";
    assertEquals(1, single("swarm_service_replicas_desired" + demo), "desired replicas of " + DEMO);
    assertEquals(1, single("swarm_service_replicas_running" + demo), "running replicas of " + DEMO);
    assertTrue(promQuery("{__name__=~\"swarm_.+\",service_name!=\"\"}").path("data").path("result").isEmpty(),
        "no swarm_* series has a service_name label");

    // node_id on swarm_node_info is the described node's, not renamed by a target label.
    String nodeId = docker(30, "node", "inspect", "self", "--format", "{{.ID}}").strip();
    JsonNode nodes = promQuery("swarm_node_info").path("data").path("result");
    assertEquals(1, nodes.size(), nodes.toString());
    JsonNode m = nodes.get(0).get("metric");
    assertEquals(nodeId, m.path("node_id").asText(), m.toString());
    assertEquals(nodeHostname, m.path("hostname").asText(), m.toString());
    assertEquals(nodeHostname, m.path("node").asText(), m.toString());
    assertTrue(m.path("exported_node_id").isMissingNode(), m.toString());

    // The one manager reports itself, its leader reachable: quorum held, nothing at risk.
    assertEquals(1, single("swarm_manager_leader_reachable{node=\"" + nodeHostname + "\"}"));
    assertEquals(1, single("swarm_manager_raft_managers{node=\"" + nodeHostname + "\"}"));
    assertEquals(1, single("swarm_manager_reachable_managers{node=\"" + nodeHostname + "\"}"));
    for (String alert : List.of("SwarmManagerQuorumLost", "SwarmManagerQuorumAtRisk", "NodeDown",
        "SwarmscopeExporterMissing", "SwarmClusterStateMissing")) {
      JsonNode rule = Bundle.alertRules().stream().filter(r -> r.get("alert").asText().equals(alert))
          .findFirst().orElseThrow();
      JsonNode r = promQuery(rule.get("expr").asText());
      assertTrue(r.path("data").path("result").isEmpty(), alert + " is true on a healthy swarm: " + r);
    }
  }

  /** The value of a query that must return exactly one series. */
  private double single(String promql) {
    JsonNode result = promQuery(promql).path("data").path("result");
    assertEquals(1, result.size(), promql + " -> " + result);
    return result.get(0).path("value").get(1).asDouble();
  }

  // ---------------------------------------------------------------- Elasticsearch queries

  @Test
  @Order(3)
  void theDashboardsAndKibanaQueriesRunOnTheLiveElasticsearch() throws Exception {
    Map<String, String> variables = variables();
    JsonNode logsSource = null;
    for (JsonNode ds : Bundle.yaml("config/grafana/provisioning/datasources/swarmscope.yml").get("datasources")) {
      if (ds.path("type").asText().equals("elasticsearch")) {
        logsSource = ds;
      }
    }
    assertTrue(logsSource != null, "no Elasticsearch data source provisioned");
    String index = logsSource.path("jsonData").path("index").asText();
    String timeField = logsSource.path("jsonData").path("timeField").asText();
    List<String> problems = new ArrayList<>();

    // Grafana's logs panel and annotations: Lucene query strings, sent as Grafana sends them.
    JsonNode service = Bundle.json(Bundle.file("dashboards/swarm-service.json"));
    Map<String, String> lucene = new LinkedHashMap<>();
    for (JsonNode p : Dashboards.panels(service)) {
      for (JsonNode t : p.path("targets")) {
        if (t.path("datasource").path("type").asText().equals("elasticsearch")) {
          lucene.put("panel " + p.path("title").asText(), t.path("query").asText());
        }
      }
    }
    for (JsonNode a : service.path("annotations").path("list")) {
      if (a.path("datasource").path("type").asText().equals("elasticsearch")) {
        lucene.put("annotation " + a.path("name").asText(), a.path("query").asText());
      }
    }
    assertTrue(lucene.size() >= 2, "logs panel and error annotation expected: " + lucene);
    for (Map.Entry<String, String> q : lucene.entrySet()) {
      String query = substitute(q.getValue(), variables);
      ObjectNode body = Bundle.JSON.createObjectNode();
      body.put("size", 500);
      ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
      filter.addObject().putObject("range").putObject(timeField)
          .put("gte", Instant.now().minus(Duration.ofHours(1)).toEpochMilli())
          .put("lte", Instant.now().toEpochMilli()).put("format", "epoch_millis");
      filter.addObject().putObject("query_string").put("analyze_wildcard", true).put("query", query);
      body.putArray("sort").addObject().putObject(timeField).put("order", "desc").put("unmapped_type", "boolean");
      body.putObject("aggs").putObject("1").putObject("date_histogram").put("field", timeField)
          .put("fixed_interval", "1m").put("min_doc_count", 0).put("format", "epoch_millis");
      check(problems, "swarm-service.json " + q.getKey() + " (" + query + ")", msearch(index, body), true);
    }

    // The Kibana saved searches (KQL on their data view) and the dashboards' Kibana link.
    Map<String, String> dataViews = new HashMap<>();
    List<JsonNode> searches = new ArrayList<>();
    for (String line : Files.readAllLines(Bundle.file("config/kibana/saved-objects.ndjson"))) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode o = Bundle.JSON.readTree(line);
      if (o.path("type").asText().equals("index-pattern")) {
        dataViews.put(o.path("id").asText(), o.path("attributes").path("title").asText());
      } else if (o.path("type").asText().equals("search")) {
        searches.add(o);
      }
    }
    for (JsonNode s : searches) {
      JsonNode source = Bundle.JSON.readTree(s.path("attributes").path("kibanaSavedObjectMeta")
          .path("searchSourceJSON").asText());
      String kql = source.path("query").path("query").asText();
      String view = dataViews.get(s.path("references").get(0).path("id").asText());
      ObjectNode body = Bundle.JSON.createObjectNode();
      body.set("query", Kql.toDsl(kql));
      body.put("size", 10);
      s.path("attributes").path("sort").forEach(o -> body.withArray("sort").addObject()
          .put(o.get(0).asText(), o.get(1).asText()));
      // The shipper does not ship its own logs (--ship.own.logs) and Logstash does not run here.
      boolean expectHits = !s.path("id").asText().equals("swarmscope-shipper-logs");
      check(problems, "Kibana search " + s.path("id").asText() + " (" + kql + " on " + view + ")",
          esSearch(view, body.toString()), expectHits);
    }
    Matcher link = Pattern.compile("query:\\(language:kuery,query:'(.*?)'\\)").matcher(service.toString()
        .replace("\\\"", "\""));
    assertTrue(link.find(), "no Kibana link with a KQL query in swarm-service.json");
    String linkKql = substitute(link.group(1), variables);
    ObjectNode linkBody = Bundle.JSON.createObjectNode();
    linkBody.set("query", Kql.toDsl(linkKql));
    check(problems, "swarm-service.json Kibana link (" + linkKql + ")", esSearch(index, linkBody.toString()), true);
    figures.put("Elasticsearch queries run", lucene.size() + " Grafana, " + searches.size() + " Kibana saved searches, 1 Kibana link");
    assertEquals(List.of(), problems);
  }

  private static void check(List<String> problems, String what, JsonNode response, boolean expectHits) {
    JsonNode r = response.has("responses") ? response.get("responses").get(0) : response;
    if (r.has("error") || r.path("_shards").path("failed").asInt() > 0) {
      problems.add(what + " -> " + r);
    } else if (expectHits && r.path("hits").path("hits").isEmpty()) {
      problems.add(what + " found nothing");
    }
  }

  // ---------------------------------------------------------------- stack lifecycle

  /** Removes the stack and its volumes (once), and waits until its containers and networks are gone. */
  private void removeStack() {
    if (removed.compareAndSet(false, true)) {
      stack.remove();
    }
  }

  private List<String> readmeCommands() throws IOException {
    Matcher m = README_BLOCK.matcher(Files.readString(Bundle.file("README.md")));
    assertTrue(m.find(), "README.md has no block marked <!-- StackDeployIT runs this block -->");
    List<String> out = new ArrayList<>();
    for (String line : m.group(1).replace("\\\n", " ").split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  private String diagnostics() {
    StringBuilder b = new StringBuilder(stack.diagnostics());
    b.append("--- webhook received ").append(webhook.size()).append(" posts");
    webhook.forEach(r -> b.append("\n  ").append(r.at()).append(' ').append(r.path()).append(' ')
        .append(r.body().path("commonLabels")));
    return b.toString();
  }

  // ---------------------------------------------------------------- webhook

  /** An HTTP server on the Docker host's bridge address, which host.docker.internal maps to. */
  private void startWebhook() throws IOException {
    InetAddress address = null;
    NetworkInterface docker0 = NetworkInterface.getByName("docker0");
    if (docker0 != null) {
      address = docker0.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst().orElse(null);
    }
    assertTrue(address != null, "no IPv4 address on docker0, which host.docker.internal (host-gateway) maps to");
    receiver = HttpServer.create(new InetSocketAddress(address, WEBHOOK_PORT), 0);
    receiver.createContext("/", ex -> {
      Instant at = Instant.now();
      byte[] body = ex.getRequestBody().readAllBytes();
      try {
        webhook.add(new Received(at, ex.getRequestURI().getPath(), Bundle.JSON.readTree(body)));
      } catch (IOException e) {
        webhook.add(new Received(at, ex.getRequestURI().getPath(),
            Bundle.JSON.createObjectNode().put("unparsed", new String(body, StandardCharsets.UTF_8))));
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
  }

  // ---------------------------------------------------------------- queries

  private Map<String, String> variables() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("__rate_interval", "1m");
    v.put("__interval", "15s");
    v.put("__range", "1h");
    v.put("stack", STACK);
    v.put("service", DEMO);
    v.put("node", nodeHostname);
    v.put("kibana_url", "http://localhost:5601");
    return v;
  }

  /** Grafana's interpolation of $var, ${var} and ${var:lucene} (escaped for Lucene). */
  private static String substitute(String expr, Map<String, String> variables) {
    String q = expr;
    for (Map.Entry<String, String> v : variables.entrySet()) {
      String escaped = v.getValue().replaceAll("([+\\-=&|><!(){}\\[\\]^\"~*?:\\\\/ ])", "\\\\$1");
      q = q.replace("${" + v.getKey() + ":lucene}", escaped)
          .replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
    }
    assertTrue(!q.matches("(?s).*\\$\\{?[a-z_]+.*"), "unsubstituted variable in " + q);
    return q;
  }

  private JsonNode promQuery(String promql) {
    return stack.promQuery(promql);
  }

  private JsonNode promGet(String path) {
    return json.get(PROMETHEUS + path);
  }

  private JsonNode esSearch(String index, String body) {
    return json.postJson(ELASTICSEARCH + "/" + index + "/_search", body, Duration.ofSeconds(30));
  }

  /** Grafana's Elasticsearch data source sends its queries through _msearch. */
  private JsonNode msearch(String index, JsonNode body) {
    String header = Bundle.JSON.createObjectNode().put("search_type", "query_then_fetch")
        .put("ignore_unavailable", true).put("index", index).toString();
    return json.send(HttpRequest.newBuilder(URI.create(ELASTICSEARCH + "/_msearch"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(header + "\n" + body + "\n")).build());
  }

  // ---------------------------------------------------------------- processes and waiting

  private static Tools.Exec sh(String command, Map<String, String> env, int timeoutSeconds) {
    return run(List.of("bash", "-euo", "pipefail", "-c", command), env, timeoutSeconds);
  }

  private static Tools.Exec run(List<String> command, Map<String, String> env, int timeoutSeconds) {
    return Tools.run(command, env, timeoutSeconds);
  }

  private static String docker(int timeoutSeconds, String... args) {
    return LiveStack.docker(timeoutSeconds, args);
  }

  private <T> T await(String what, Duration timeout, Supplier<T> probe) {
    return Tools.awaitOrFail(what, timeout, probe, this::diagnostics);
  }

  private static void sleep(long millis) {
    Tools.sleep(millis);
  }

  private static String seconds(Instant from, Instant to) {
    return LiveStack.seconds(from, to);
  }

  private static String abbreviate(String s) {
    return s.length() > 70 ? s.substring(0, 67) + "..." : s;
  }
}
