package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The second deploy on the machine's real single-node swarm, under a stack name that is not the
 * default ({@code upgrade-test}): deploy the bundle with scripts/deploy.sh (stack.yml,
 * stack.single-node-test.yml and the test's stack.upgrade-test.yml), then change a dashboard, an
 * alert rule and the shipper's image and run the same command again. With no other step,
 * Prometheus serves the new rule, the Grafana stand-in holds the new dashboard, the shipper runs
 * the new image, the services whose inputs did not change keep their containers, and a stale
 * config of the stack is pruned while the one a rollback needs is kept. Then
 * {@code docker service update --force} replaces the shipper once more. Across both shipper
 * replacements a workload's numbered lines reach Elasticsearch exactly once each: no line lost,
 * none duplicated. The preflight's verdict on vm.max_map_count matches this host's value.
 *
 * <p>Works on a copy of the bundle under target/ (the edits never touch the repository). Runs
 * after or before StackDeployIT in the same failsafe JVM (never at once: both publish the same
 * host ports); each removes its stack, volumes included, before and after. By hand on a shared
 * machine, hold its host-swarm lock: {@code flock <lock> ./mvnw ... -Dit.test=StackUpgradeIT}.
 * With {@code CI=true} a missing Docker or swarm fails the test; elsewhere it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StackUpgradeIT {

  /** Not the default name; -Dstack.upgrade.name chooses another (the shared machines prefix theirs). */
  static final String STACK = System.getProperty("stack.upgrade.name", "upgrade-test");
  private static final String SHIPPER_V2 = "local/swarmscope-log-shipper:" + STACK + "-2";
  private static final List<String> FILES = List.of("stack.yml", "stack.single-node-test.yml", "stack.upgrade-test.yml");
  private static final Pattern LINE = Pattern.compile("upgrade-test line (\\d+)");
  private static final Pattern LAST = Pattern.compile("upgrade-test last (\\d+)");
  /** Services whose configs, secrets and image the second deploy does not change. */
  private static final List<String> UNCHANGED = List.of("exporter", "alertmanager", "elasticsearch", "counter");

  private final Map<String, String> figures = new LinkedHashMap<>();
  private final Instant started = Instant.now();
  private Path work;
  private LiveStack stack;
  private String nodeHostname;

  @BeforeAll
  void prepare() throws IOException {
    LiveStack.requireSwarm();
    nodeHostname = LiveStack.docker(30, "node", "inspect", "self", "--format", "{{.Description.Hostname}}").strip();
    work = Bundle.file("bundle-tests/target/" + STACK);
    copyBundle(work);
    stack = new LiveStack(STACK, work);
    stack.remove(); // what an earlier, interrupted run left
    Map<String, String> env = new HashMap<>();
    String esZip = System.getProperty("swarmscope.es.zip");
    if (esZip != null && Files.isRegularFile(Path.of(esZip))) {
      env.put("ES_ZIP", esZip);
    }
    // The images from this tree's jars (the Maven build packaged them), as StackDeployIT does.
    Instant t = Instant.now();
    run(Tools.run(List.of("scripts/build-bundle-images.sh"), env, 1200), "build-bundle-images.sh");
    run(stack.sh("scripts/create-secrets.sh", Map.of(), 30), "create-secrets.sh");
    String nodeId = LiveStack.docker(30, "info", "--format", "{{.Swarm.NodeID}}").strip();
    LiveStack.docker(30, "node", "update", "--label-add", "swarmscope.data=true", nodeId);
    figures.put("images and secrets", LiveStack.seconds(t, Instant.now()));
  }

  @AfterAll
  void tearDown() {
    System.out.println();
    System.out.println("StackUpgradeIT figures (" + Instant.now() + ", node " + nodeHostname + "):");
    figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    if (stack == null) {
      return;
    }
    Instant t = Instant.now();
    stack.remove();
    Tools.run(List.of("docker", "image", "rm", SHIPPER_V2), 60);
    System.out.println("  stack removed in " + LiveStack.seconds(t, Instant.now()) + "; whole test "
        + LiveStack.seconds(started, Instant.now()));
  }

  @Test
  void preflightCatchesAnElasticsearchHostWithoutTheMapCount() throws IOException {
    long value;
    try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/vm/max_map_count"))) {
      value = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()); // size 0 in /proc
    }
    Tools.Exec e = stack.sh("scripts/preflight.sh -c stack.yml -c stack.single-node-test.yml " + STACK, Map.of(), 120);
    figures.put("preflight on this host (vm.max_map_count " + value + ")", "exit " + e.exitCode());
    if (value >= 262144) {
      assertEquals(0, e.exitCode(), e.output());
      assertTrue(e.output().contains("ok: vm.max_map_count on " + nodeHostname + " is " + value), e.output());
    } else {
      assertEquals(1, e.exitCode(), e.output());
      assertTrue(e.output().contains("FAIL: vm.max_map_count on " + nodeHostname + " is " + value
          + "; Elasticsearch needs at least 262144"), e.output());
      assertTrue(e.output().contains("sysctl -w vm.max_map_count=262144"), e.output());
    }
    assertEquals("", LiveStack.docker(30, "service", "ls", "-q", "--filter", "name=" + STACK + "_preflight").strip(),
        "the preflight job is removed");
    assertEquals("", LiveStack.docker(30, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_preflight")
        .strip(), "the preflight job's containers are removed");
  }

  @Test
  void redeployWithEditedDashboardRuleAndShipperImageJustWorksAndLosesNoLine() throws Exception {
    // ---- first deploy
    Instant t0 = Instant.now();
    deploy(Map.of());
    stack.await("every service to run its tasks", Duration.ofSeconds(300), () -> stack.converged() ? true : null);
    figures.put("first deploy: command to all services running", LiveStack.seconds(t0, Instant.now()));
    stack.await("Prometheus to scrape the exporter and the shipper of " + STACK, Duration.ofSeconds(120), () -> {
      JsonNode r = stack.promQuery("count(up{job=~\"swarmscope-exporter|swarmscope-log-shipper\"} == 1) == 2");
      return r.path("data").path("result").isEmpty() ? null : true;
    });
    String counter = stack.container("counter");
    stack.await("the counter's lines in Elasticsearch", Duration.ofSeconds(120),
        () -> countLines() > 0 ? true : null);

    // Any stack name: targets found, instance is the node, the shipper's series carry this stack.
    JsonNode up = stack.promQuery("up{job=~\"swarmscope-exporter|swarmscope-log-shipper\"}");
    up.path("data").path("result").forEach(s ->
        assertEquals(nodeHostname, s.path("metric").path("instance").asText(), "instance relabelled to the node: " + s));
    JsonNode shipped = stack.promQuery("swarmscope_log_lines_total{service=\"" + STACK + "_counter\"}");
    assertEquals(STACK, shipped.path("data").path("result").path(0).path("metric").path("stack").asText(), shipped::toString);
    // Every health check of the local images works: each running container is healthy.
    assertEquals(List.of(), unhealthyContainers());

    String oldSummary = ruleSummary("Watchdog");
    assertEquals("Always firing: proves that the alerting pipeline works", oldSummary);
    assertEquals(Files.readString(work.resolve("dashboards/swarm-overview.json")), grafanaDashboard());
    Map<String, String> before = containers();
    String oldRulesConfig = configOf("prometheus", "/etc/prometheus/rules/swarmscope.rules.yml");

    // ---- the changes: a dashboard, an alert rule, the shipper's image; and a stale config
    Path dashboard = work.resolve("dashboards/swarm-overview.json");
    ObjectNode json = (ObjectNode) Bundle.JSON.readTree(dashboard.toFile());
    json.put("title", json.get("title").asText() + " (upgraded)");
    Files.writeString(dashboard, Bundle.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    Path rules = work.resolve("alerts/swarmscope.rules.yml");
    String newSummary = "Always firing: proves that the alerting pipeline works (upgraded)";
    String rulesText = Files.readString(rules);
    assertTrue(rulesText.contains("summary: \"" + oldSummary + "\""));
    Files.writeString(rules, rulesText.replace("summary: \"" + oldSummary + "\"", "summary: \"" + newSummary + "\""));
    run(Tools.run(List.of("bash", "-c", "printf 'FROM local/swarmscope-log-shipper:test\\nLABEL io.swarmscope.upgrade-test=2\\n'"
        + " | docker build -q -t " + SHIPPER_V2 + " -"), 120), "docker build " + SHIPPER_V2);
    String stale = STACK + "_stale_config_0";
    Tools.run(List.of("docker", "config", "rm", stale), 30);
    run(Tools.run(List.of("bash", "-c", "echo stale | docker config create --label com.docker.stack.namespace=" + STACK
        + " " + stale + " -"), 30), "docker config create " + stale);

    // ---- the same command again
    Instant t1 = Instant.now();
    deploy(Map.of("UPGRADE_SHIPPER_IMAGE", SHIPPER_V2));
    figures.put("second deploy: deploy.sh returned", LiveStack.seconds(t1, Instant.now()));
    stack.await("Prometheus to serve the new rule", Duration.ofSeconds(180),
        () -> newSummary.equals(ruleSummary("Watchdog")) ? true : null);
    stack.await("the shipper to run " + SHIPPER_V2, Duration.ofSeconds(180), () -> {
      String id = stack.container("log-shipper");
      return id != null && Tools.run(List.of("docker", "inspect", "--format", "{{.Config.Image}}", id), 30).output()
          .strip().equals(SHIPPER_V2) ? true : null;
    });
    stack.await("the Grafana stand-in to hold the new dashboard", Duration.ofSeconds(180), () -> {
      try {
        return Files.readString(dashboard).equals(grafanaDashboard()) ? true : null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    stack.await("every service to run its tasks", Duration.ofSeconds(180), () -> stack.converged() ? true : null);
    figures.put("REDEPLOY: command to new rule, dashboard and shipper all serving", LiveStack.seconds(t1, Instant.now()));
    stack.await("every rolling update to complete", Duration.ofSeconds(180), () -> updatesCompleted() ? true : null);
    figures.put("REDEPLOY: command to every rolling update completed (monitor 30 s)", LiveStack.seconds(t1, Instant.now()));

    Map<String, String> after = containers();
    for (String service : UNCHANGED) {
      assertEquals(before.get(service), after.get(service), service + " was restarted though nothing of it changed");
    }
    for (String service : List.of("prometheus", "grafana", "log-shipper")) {
      assertTrue(!before.get(service).equals(after.get(service)), service + " was not updated");
    }
    Set<String> configs = new TreeSet<>(List.of(LiveStack.docker(30, "config", "ls", "--filter",
        "label=com.docker.stack.namespace=" + STACK, "--format", "{{.Name}}").strip().split("\n")));
    assertTrue(!configs.contains(stale), "the stale config was not pruned: " + configs);
    assertTrue(configs.contains(oldRulesConfig), "the previous rules config (for a rollback) was pruned: " + configs);
    assertTrue(configs.contains(configOf("prometheus", "/etc/prometheus/rules/swarmscope.rules.yml")), configs::toString);
    assertEquals(List.of(), unhealthyContainers());

    // ---- docker service update --force: the shipper replaced once more
    Instant t2 = Instant.now();
    String shipperBefore = stack.container("log-shipper");
    run(Tools.run(List.of("docker", "service", "update", "--force", "--quiet", STACK + "_log-shipper"), 300),
        "docker service update --force");
    stack.await("a new shipper container", Duration.ofSeconds(120), () -> {
      String id = stack.container("log-shipper");
      return id != null && !id.equals(shipperBefore) ? true : null;
    });
    figures.put("docker service update --force on the shipper", LiveStack.seconds(t2, Instant.now()));
    LiveStack.sleep(5000); // lines written while the new shipper runs

    // ---- the workload stops; every numbered line is in Elasticsearch exactly once
    assertEquals(counter, stack.container("counter"), "the counter kept running");
    LiveStack.docker(30, "exec", counter, "touch", "/tmp/stop");
    Matcher lastLine = LAST.matcher(stack.await("the counter's last line", Duration.ofSeconds(30), () -> {
      String l = LiveStack.docker(60, "logs", "--tail", "1", counter).strip();
      return LAST.matcher(l).find() ? l : null;
    }));
    assertTrue(lastLine.find());
    int last = Integer.parseInt(lastLine.group(1));
    stack.await(last + 1 + " counter lines in Elasticsearch", Duration.ofSeconds(120),
        () -> countLines() >= last + 1 ? true : null);
    LiveStack.sleep(3000); // a duplicate arriving late would show now
    Map<Integer, Integer> seen = new TreeMap<>();
    int lastSeen = 0;
    stack.esPost("/swarmscope-logs-*/_refresh", "");
    JsonNode hits = stack.esPost("/swarmscope-logs-*/_search", "{\"size\":10000,\"_source\":[\"message\"],"
        + "\"query\":{\"term\":{\"swarm.service\":\"" + STACK + "_counter\"}}}").path("hits").path("hits");
    for (JsonNode h : hits) {
      String message = h.path("_source").path("message").asText();
      Matcher m = LINE.matcher(message);
      if (m.find()) {
        seen.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
      } else if (LAST.matcher(message).find()) {
        lastSeen++;
      }
    }
    List<Integer> missing = new ArrayList<>();
    List<Integer> duplicated = new ArrayList<>();
    for (int i = 1; i <= last; i++) {
      int n = seen.getOrDefault(i, 0);
      if (n == 0) {
        missing.add(i);
      } else if (n > 1) {
        duplicated.add(i);
      }
    }
    figures.put("counter lines written / in Elasticsearch", last + 1 + " / " + hits.size()
        + " (missing " + missing.size() + ", duplicated " + duplicated.size() + ")");
    int shipperTasks = LiveStack.docker(30, "service", "ps", "-q", STACK + "_log-shipper").strip().split("\n").length;
    figures.put("shipper tasks while the counter ran", String.valueOf(shipperTasks));
    assertEquals(List.of(), missing, "lines lost across the shipper's upgrades");
    assertEquals(List.of(), duplicated, "lines shipped twice across the shipper's upgrades");
    assertEquals(1, lastSeen, "the last line");
    assertEquals(last + 1, hits.size());
    assertEquals(Set.of(), new TreeSet<>(seen.keySet().stream().filter(i -> i > last).toList()), "lines after the last");
    assertTrue(shipperTasks >= 3, "the shipper ran as three tasks (first, upgraded, forced): " + shipperTasks);
  }

  // ---------------------------------------------------------------- helpers

  private void deploy(Map<String, String> env) {
    StringBuilder command = new StringBuilder("scripts/deploy.sh --no-preflight --resolve-image never");
    FILES.forEach(f -> command.append(" -c ").append(f));
    command.append(' ').append(STACK);
    run(stack.sh(command.toString(), env, 300), command.toString());
  }

  private static void run(Tools.Exec e, String what) {
    assertEquals(0, e.exitCode(), () -> what + " failed:\n" + e.output());
  }

  private long countLines() {
    return stack.esPost("/swarmscope-logs-*/_count", "{\"query\":{\"term\":{\"swarm.service\":\"" + STACK + "_counter\"}}}")
        .path("count").asLong(0);
  }

  private String ruleSummary(String alert) {
    for (JsonNode g : stack.get(LiveStack.PROMETHEUS + "/api/v1/rules?type=alert").path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.path("name").asText().equals(alert)) {
          return r.path("annotations").path("summary").asText();
        }
      }
    }
    return null;
  }

  /** The dashboard file in the running Grafana stand-in; null while it is being replaced. */
  private String grafanaDashboard() {
    String id = stack.container("grafana");
    if (id == null) {
      return null;
    }
    Tools.Exec e = Tools.run(List.of("docker", "exec", id, "cat", "/etc/grafana/dashboards/swarm-overview.json"), 30);
    return e.exitCode() == 0 ? e.output() : null;
  }

  /** The config a service mounts at {@code target}. */
  private String configOf(String service, String target) {
    String refs = LiveStack.docker(30, "service", "inspect", STACK + "_" + service, "--format",
        "{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.File.Name}}={{.ConfigName}} {{end}}");
    for (String ref : refs.strip().split(" ")) {
      if (ref.startsWith(target + "=")) {
        return ref.substring(target.length() + 1);
      }
    }
    throw new AssertionError(service + " mounts no config at " + target + ": " + refs);
  }

  /** Service (short name) to its running container's id. */
  private Map<String, String> containers() {
    Map<String, String> out = new TreeMap<>();
    for (String line : LiveStack.docker(30, "ps", "--filter", "label=com.docker.stack.namespace=" + STACK, "--format",
        "{{.Label \"com.docker.swarm.service.name\"}} {{.ID}}").strip().split("\n")) {
      String[] f = line.split(" ");
      out.put(f[0].substring(STACK.length() + 1), f[1]);
    }
    return out;
  }

  private List<String> unhealthyContainers() {
    List<String> out = new ArrayList<>();
    for (String line : LiveStack.docker(30, "ps", "--filter", "label=com.docker.stack.namespace=" + STACK, "--format",
        "{{.Label \"com.docker.swarm.service.name\"}} {{.ID}}").strip().split("\n")) {
      String[] f = line.split(" ");
      String health = LiveStack.docker(30, "inspect", "--format",
          "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}", f[1]).strip();
      // The counter and error-demo workloads have no health check; every bundle service has one.
      boolean workload = f[0].endsWith("_counter") || f[0].endsWith("_error-demo");
      if (!(workload ? health.equals("none") : health.equals("healthy"))) {
        out.add(f[0] + ": " + health);
      }
    }
    return out;
  }

  private boolean updatesCompleted() {
    for (String id : LiveStack.docker(30, "stack", "services", "-q", STACK).strip().split("\n")) {
      String state = LiveStack.docker(30, "service", "inspect", "--format",
          "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}", id).strip();
      if (!state.isEmpty() && !state.equals("completed")) {
        return false;
      }
    }
    return true;
  }

  /** The files a deploy reads: stack files, config/, alerts/, dashboards/, scripts/, and the test override. */
  private static void copyBundle(Path to) throws IOException {
    if (Files.exists(to)) {
      try (Stream<Path> s = Files.walk(to)) {
        s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
    Path root = Bundle.root();
    for (String dir : List.of("config", "alerts", "dashboards", "scripts")) {
      try (Stream<Path> s = Files.walk(root.resolve(dir))) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Path target = to.resolve(root.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
    for (String f : List.of("stack.yml", "stack.single-node-test.yml", "pom.xml")) {
      Files.copy(root.resolve(f), to.resolve(f));
    }
    Files.writeString(to.resolve("stack.upgrade-test.yml"),
        Files.readString(root.resolve("bundle-tests/src/test/resources/stack.upgrade-test.yml"), StandardCharsets.UTF_8));
  }
}
