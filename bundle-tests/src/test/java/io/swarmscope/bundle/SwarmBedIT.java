package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.swarmscope.bundle.Exposition.Sample;
import io.swarmscope.bundle.SwarmBed.Node;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bundle on a three-manager swarm of Docker-in-Docker nodes (SwarmBed, docs/test-bed.md):
 * what only shows with several nodes. Deploys stack.yml with stack.single-node-test.yml and
 * stack.multi-node-test.yml, the data services (Prometheus, Alertmanager, Elasticsearch) on the
 * last node, then proves in order:
 * <ol>
 *   <li>one exporter task per node, each with its own hostname and node id and only its own
 *       node's containers; no container series from two exporters; Swarm state from the leader's
 *       exporter only;
 *   <li>Prometheus discovers every exporter and shipper task, every series carries a node;
 *   <li>stopping the leader node: the new leader's exporter serves the Swarm state within 30 s of
 *       the election, and nothing is exported twice once the old leader is back;
 *   <li>stopping another node while a replicated service logs numbered lines on every node:
 *       NodeDown fires and inhibits container alerts for that node (not for others); starting it
 *       again resolves it;
 *   <li>every numbered line, also those of the stopped node, is in Elasticsearch exactly once
 *       with the hostname of its node.
 * </ol>
 * Prints the figures docs/scaling.md is derived from. The bed is removed afterwards, also when a
 * test fails ({@code -Dbed.keep=true} leaves it up for a look). With {@code CI=true} a missing
 * Docker fails the test; elsewhere it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmBedIT {

  private static final String STACK = "swarmscope";
  private static final String COUNTER = STACK + "_bed-counter";
  private static final int NODES = 3;
  /** Lines each bed-counter task logs (stack.multi-node-test.yml's LINES). */
  private static final int LINES = 2000;
  private static final int WEBHOOK_PORT = 18093;
  private static final List<String> IMAGES = List.of("local/swarmscope-exporter:test",
      "local/swarmscope-log-shipper:test", "local/busybox:1", "local/prometheus:bundle-test",
      "local/alertmanager:bundle-test", "local/elasticsearch:bundle-test", "local/haproxy:bundle-test");
  private static final Duration FAILOVER_TARGET = Duration.ofSeconds(30);

  private final JsonHttp json = new JsonHttp();
  private final HttpClient http = json.client();
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final List<Received> webhook = new CopyOnWriteArrayList<>();
  private final Instant started = Instant.now();
  private SwarmBed bed;
  private Node data;
  private HttpServer receiver;
  private final Map<String, String> nodeIds = new TreeMap<>();

  record Received(Instant at, String path, JsonNode body) {}

  @BeforeAll
  void bringUp() {
    requireDocker();
    Map<String, String> env = new HashMap<>();
    String esZip = System.getProperty("swarmscope.es.zip");
    if (esZip != null && Files.isRegularFile(Path.of(esZip))) {
      env.put("ES_ZIP", esZip);
    }
    // The shared image tags may have been rebuilt from another tree: build from this one.
    Tools.Exec images = Tools.run(List.of("scripts/build-bundle-images.sh"), env, 1200);
    assertEquals(0, images.exitCode(), images::output);
    Tools.succeed(List.of("scripts/create-secrets.sh"), 60);

    Instant t = Instant.now();
    bed = SwarmBed.start(NODES, IMAGES);
    figures.put("bed up (" + NODES + " nodes, swarm formed, images loaded)", seconds(t));
    bed.nodes().forEach(n -> nodeIds.put(n.name(), bed.nodeId(n)));
    data = bed.nodes().getLast();
    startWebhook();

    t = Instant.now();
    bed.docker(data, 30, "node", "update", "--label-add", "swarmscope.data=true", data.name());
    Tools.Exec deploy = bed.tryDocker(data, Map.of("BED_LINES", Integer.toString(LINES)), 180, "stack", "deploy",
        "-c", "stack.yml", "-c", "stack.single-node-test.yml", "-c", "stack.multi-node-test.yml", STACK);
    assertEquals(0, deploy.exitCode(), deploy::output);
    await("every service to run its tasks", Duration.ofSeconds(300), () -> converged() ? true : null);
    figures.put("deploy to all services running (and setup complete)", seconds(t));
    await("Prometheus to scrape " + NODES + " exporters and " + NODES + " shippers", Duration.ofSeconds(120), () ->
        promResult("count(up{job=~\"swarmscope-exporter|swarmscope-log-shipper\"} == 1) == " + 2 * NODES).isEmpty()
            ? null : true);
    figures.put("deploy to every target up in Prometheus", seconds(t));
  }

  @AfterAll
  void tearDown() {
    System.out.println();
    System.out.println("SwarmBedIT figures (" + Instant.now() + "):");
    figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    if (receiver != null) {
      receiver.stop(0);
    }
    if (bed == null) {
      return;
    }
    if (Boolean.getBoolean("bed.keep")) {
      bed.keep();
      System.out.println("  -Dbed.keep=true: the bed is left up (docker -H tcp://" + data.ip()
          + ":2375 ...); the next run removes it");
      return;
    }
    Instant t = Instant.now();
    bed.close();
    System.out.println("  bed removed in " + seconds(t) + "; whole test " + seconds(started));
  }

  // ---------------------------------------------------------------- exporter

  @Test
  @Order(1)
  void everyNodesExporterReportsItsOwnNodeAndOnlyItsOwnContainers() {
    Map<String, String> exporterTaskNodes = runningTasks(STACK + "_exporter");
    assertEquals(NODES, exporterTaskNodes.size(), "exporter tasks: " + exporterTaskNodes);
    assertEquals(new TreeSet<>(nodeIds.keySet()), new TreeSet<>(exporterTaskNodes.values()),
        "one exporter task per node: " + exporterTaskNodes);

    Node leader = bed.leaderSeenBy(data);
    Map<String, Set<String>> containerSeriesByNode = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    List<String> swarmExporters = new ArrayList<>();
    for (Node n : bed.nodes()) {
      String text = get("http://" + n.ip() + ":9100/metrics");
      List<Sample> samples = Exposition.parse(text);
      figures.put("exporter series on " + n.name(), samples.size() + " (" + text.length() + " bytes)");
      String id = nodeIds.get(n.name());
      List<Sample> uname = samples.stream().filter(s -> s.name().equals("node_uname_info")).toList();
      if (uname.size() != 1 || !n.name().equals(uname.getFirst().labels().get("nodename"))) {
        wrong.add(n.name() + ": node_uname_info " + uname);
      }
      List<Sample> meta = samples.stream().filter(s -> s.name().equals("node_meta")).toList();
      if (meta.size() != 1 || !n.name().equals(meta.getFirst().labels().get("node_name"))
          || !id.equals(meta.getFirst().labels().get("node_id"))) {
        wrong.add(n.name() + " (" + id + "): node_meta " + meta);
      }
      // The node's own containers, as its engine lists them, against the exporter's.
      Set<String> running = new TreeSet<>(bed.docker(n, 30, "ps", "--no-trunc", "--format", "{{.ID}}").lines().toList());
      Set<String> exported = new TreeSet<>();
      Set<String> keys = new HashSet<>();
      for (Sample s : samples) {
        if (!s.name().startsWith("container_") || "/".equals(s.labels().get("id"))) {
          continue;
        }
        String cgroup = s.labels().getOrDefault("id", "");
        exported.add(cgroup.substring(cgroup.lastIndexOf('/') + 1));
        keys.add(s.key());
        String nodeLabel = s.labels().get("container_label_com_docker_swarm_node_id");
        if (!id.equals(nodeLabel)) {
          wrong.add(n.name() + ": " + s.key() + " has node id " + nodeLabel + ", not " + id);
        }
      }
      if (!exported.equals(running)) {
        wrong.add(n.name() + ": exported containers " + exported + " but the engine runs " + running
            + exporterDiagnostics(n, samples));
      }
      containerSeriesByNode.put(n.name(), keys);
      // swarm_manager_* is every manager's own view (quorum without a leader): not leader-gated.
      if (samples.stream().anyMatch(s -> s.name().startsWith("swarm_") && !s.name().startsWith("swarm_manager_"))) {
        swarmExporters.add(n.name());
      }
      List<Sample> raft = samples.stream().filter(s -> s.name().equals("swarm_manager_raft_managers")).toList();
      if (raft.size() != 1 || raft.getFirst().value() != NODES) {
        wrong.add(n.name() + ": swarm_manager_raft_managers " + raft + ", expected one series of " + NODES);
      }
    }
    assertEquals(List.of(), wrong.size() > 20 ? wrong.subList(0, 20) : wrong);
    // No container series (name and labels, before Prometheus adds the target's) from two exporters.
    Map<String, Integer> seen = new HashMap<>();
    containerSeriesByNode.values().forEach(keys -> keys.forEach(k -> seen.merge(k, 1, Integer::sum)));
    List<String> duplicated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), duplicated, "container series exported by more than one node");
    assertEquals(List.of(leader.name()), swarmExporters, "swarm_* series must come from the leader's exporter only");
  }

  @Test
  @Order(2)
  void prometheusDiscoversEveryTaskAndEverySeriesCarriesItsNode() {
    for (String job : List.of("swarmscope-exporter", "swarmscope-log-shipper")) {
      JsonNode up = promResult("up{job=\"" + job + "\"} == 1");
      Set<String> nodes = new TreeSet<>();
      up.forEach(r -> nodes.add(r.path("metric").path("node").asText()));
      assertEquals(nodeIds.keySet(), nodes, job + " targets up: " + up);
      JsonNode perNode = promResult("count by (node) ({job=\"" + job + "\"})");
      perNode.forEach(r -> figures.put("Prometheus series of " + job + " on " + r.path("metric").path("node").asText(),
          r.path("value").get(1).asText()));
    }
    JsonNode without = promResult("count by (job, __name__) ({job=~\"swarmscope-exporter|swarmscope-log-shipper\","
        + "node!~\"bed-node-[0-9]+\"})");
    assertEquals(0, without.size(), "series without a bed node's hostname in label node: " + without);
    // The node label is the hostname the exporter itself reports, on every node.
    JsonNode uname = promResult("node_uname_info");
    assertEquals(NODES, uname.size(), uname::toString);
    uname.forEach(r -> assertEquals(r.path("metric").path("nodename").asText(), r.path("metric").path("node").asText(),
        r::toString));
  }

  // ---------------------------------------------------------------- leader failover

  @Test
  @Order(3)
  void theNewLeadersExporterTakesOverTheSwarmStateAndTheOldOneDoesNotExportItAgain() {
    Node old = bed.leaderSeenBy(data);
    assertTrue(old != null && old != data, "the leader should be a node other than the data node: " + old);
    List<Node> others = bed.nodes().stream().filter(n -> n != old).toList();
    Instant stop = Instant.now();
    bed.stop(old);
    figures.put("leader " + old.name() + " stopped in", seconds(stop));
    record Election(Node leader, Instant at) {}
    Election election = await("a new leader", Duration.ofSeconds(60), () -> {
      Node l = bed.leaderSeenBy(others.getFirst());
      return l != null && l != old ? new Election(l, Instant.now()) : null;
    });
    figures.put("leader stop to election seen", String.format("%.1f s (new leader %s)",
        Duration.between(stop, election.at()).toMillis() / 1000.0, election.leader().name()));
    Instant served = await("the new leader's exporter to serve swarm_node_info", FAILOVER_TARGET.plusSeconds(30), () ->
        swarmExporters(others).equals(List.of(election.leader().name())) ? Instant.now() : null);
    Duration failover = Duration.between(election.at(), served);
    figures.put("FAILOVER election seen -> new leader's exporter serves swarm_*", String.format("%.1f s (target <= %d s)",
        failover.toMillis() / 1000.0, FAILOVER_TARGET.toSeconds()));
    assertTrue(failover.compareTo(FAILOVER_TARGET) <= 0, "failover took " + failover);

    Instant back = Instant.now();
    bed.startAgain(old);
    await(old.name() + " Ready and Reachable again, its exporter serving", Duration.ofSeconds(120), () -> {
      Tools.Exec e = bed.tryDocker(data, 15, "node", "inspect", old.name(), "--format",
          "{{.Status.State}} {{.ManagerStatus.Reachability}}");
      return e.exitCode() == 0 && e.output().strip().equals("ready reachable")
          && tryGet("http://" + old.ip() + ":9100/metrics") != null ? true : null;
    });
    figures.put("old leader start to Ready and its exporter serving", seconds(back));
    // Over two of the exporters' 10-s refreshes, no exporter but the leader's serves the Swarm
    // state. (An exporter restarted meanwhile serves nothing until it has read the state: on this
    // shared machine, exporter tasks were seen killed from outside, so a gap alone is not failed.)
    Instant until = Instant.now().plusSeconds(25);
    int leaderServed = 0;
    int polls = 0;
    while (Instant.now().isBefore(until)) {
      Node leader = bed.leaderSeenBy(data);
      List<String> serving = swarmExporters(bed.nodes());
      assertTrue(serving.isEmpty() || serving.equals(List.of(leader.name())),
          "swarm_* served by " + serving + ", the leader is " + leader.name());
      leaderServed += serving.isEmpty() ? 0 : 1;
      polls++;
      sleep(2000);
    }
    figures.put("polls after the old leader's return with swarm_* from the leader's exporter only", leaderServed + " of " + polls);
    assertTrue(leaderServed > 0, "the leader's exporter never served swarm_* after the old leader came back");
    // And Prometheus never held two copies since the old leader came back (5-s scrapes).
    long window = Duration.between(back, Instant.now()).toSeconds() + 1;
    JsonNode copies = promResult("max_over_time(count(swarm_cluster_state_timestamp_seconds)[" + window + "s:1s])");
    assertEquals(1, copies.size(), copies::toString);
    assertEquals(1.0, copies.get(0).path("value").get(1).asDouble(), "copies of the Swarm state since the old leader came back: " + copies);
  }

  // ---------------------------------------------------------------- node down, shipper

  private Node stopped;
  private Instant stoppedAt;
  private Instant counterStarted;
  /** "node container-id" of the counter container removed with its node's graceful stop in test 4. */
  private String removedAtStop;
  private Node crashed;
  /** What each bed-counter container wrote, by "node container-id". */
  private final Map<String, List<String>> written = new TreeMap<>();
  private final Map<String, Long> shippedBeforeStop = new TreeMap<>();

  @Test
  @Order(4)
  void aStoppedNodeFiresNodeDownWhichInhibitsItsContainerAlertsAndResolvesWhenItIsBack() {
    counterStarted = Instant.now();
    bed.docker(data, 60, "service", "scale", "--detach", COUNTER + "=" + NODES);
    await("a bed-counter task on every node, each with lines in Elasticsearch", Duration.ofSeconds(120), () -> {
      JsonNode aggs = esSearch("{\"size\":0,\"query\":{\"term\":{\"swarm.service\":\"" + COUNTER + "\"}},"
          + "\"aggs\":{\"n\":{\"terms\":{\"field\":\"host.name\"}}}}").path("aggregations").path("n").path("buckets");
      Map<String, Long> perNode = new TreeMap<>();
      aggs.forEach(b -> perNode.put(b.path("key").asText(), b.path("doc_count").asLong()));
      return perNode.keySet().equals(nodeIds.keySet()) && perNode.values().stream().allMatch(c -> c >= 100)
          ? perNode : null;
    }).forEach(shippedBeforeStop::put);
    Node leader = bed.leaderSeenBy(data);
    stopped = bed.nodes().stream().filter(n -> n != leader && n != data).findFirst().orElseThrow();
    // A graceful stop removes the node's task containers, logs and all (seen here): this one's
    // record is gone with it, only its documents can be checked.
    removedAtStop = stopped.name() + " " + bed.docker(stopped, 30, "ps", "-q", "--no-trunc", "--filter",
        "label=com.docker.swarm.service.name=" + COUNTER).strip();
    stoppedAt = Instant.now();
    bed.stop(stopped);
    figures.put("lines in Elasticsearch per node when " + stopped.name() + " was stopped", shippedBeforeStop.toString());
    Instant start;
    try {
      nodeDownFiresAndInhibits();
    } finally {
      start = Instant.now();
      bed.startAgain(stopped);
    }
    Received resolved = awaitWebhook("NodeDown resolved for " + stopped.name(), Duration.ofSeconds(180),
        "NodeDown", "resolved", stopped.name());
    figures.put("node start -> NodeDown resolved at the webhook", seconds(start, resolved.at()));
    // The record of this round's counters (the stopped node's slot runs again there now) before
    // the next round replaces them.
    written.putAll(counterLogs());
  }

  /** Every bed-counter container's log on its node's engine, once none is still writing. */
  private Map<String, List<String>> counterLogs() {
    return await("every bed-counter container to have written all it will", Duration.ofSeconds(180), () -> {
      Map<String, List<String>> logs = new TreeMap<>();
      for (Node n : bed.nodes()) {
        String ids = bed.docker(n, 30, "ps", "-a", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + COUNTER,
            "--format", "{{.ID}} {{.State}}");
        for (String line : ids.lines().toList()) {
          String[] f = line.split(" ");
          List<String> lines = bed.docker(n, 60, "logs", f[0]).lines().toList();
          if (f[1].equals("running") && lines.size() < LINES) {
            return null;
          }
          logs.put(n.name() + " " + f[0], lines);
        }
      }
      return logs;
    });
  }

  private void nodeDownFiresAndInhibits() {
    Received firing = awaitWebhook("NodeDown firing for " + stopped.name(), Duration.ofSeconds(180),
        "NodeDown", "firing", stopped.name());
    figures.put("node stop -> NodeDown at the webhook", seconds(stoppedAt, firing.at()));
    assertEquals("/alertmanager/critical", firing.path(), "NodeDown is routed to the critical receiver");

    // The stopped node's targets do not go down, they leave discovery: Swarm shuts the global
    // tasks of a Down node down, and Prometheus keeps only tasks desired running. So none of the
    // node's own alerts can fire (SwarmscopeTargetDown never sees up == 0); NodeDown is the page.
    JsonNode up = promResult("up{node=\"" + stopped.name() + "\"}");
    figures.put("targets of " + stopped.name() + " in Prometheus while it is down", Integer.toString(up.size()));
    // Alertmanager's inhibition, on the live NodeDown: a container alert for the stopped node is
    // suppressed by it, the same alert for another node is not.
    Node other = bed.nodes().stream().filter(n -> n != stopped).findFirst().orElseThrow();
    postAlert("ContainerRestarting", stopped.name());
    postAlert("ContainerRestarting", other.name());
    awaitWebhook("ContainerRestarting for " + other.name() + " (not inhibited)", Duration.ofSeconds(60),
        "ContainerRestarting", "firing", other.name());
    JsonNode restarting = amAlerts("alertname=\"ContainerRestarting\"");
    JsonNode nodeDown = amAlerts("alertname=\"NodeDown\"");
    Set<String> nodeDownFingerprints = new HashSet<>();
    nodeDown.forEach(a -> {
      if (a.path("labels").path("node").asText().equals(stopped.name())) {
        nodeDownFingerprints.add(a.path("fingerprint").asText());
      }
    });
    Map<String, JsonNode> byNode = new TreeMap<>();
    restarting.forEach(a -> byNode.put(a.path("labels").path("node").asText(), a));
    JsonNode inhibited = byNode.get(stopped.name());
    assertTrue(inhibited != null && inhibited.path("status").path("state").asText().equals("suppressed"),
        "ContainerRestarting on " + stopped.name() + " is suppressed: " + restarting);
    Set<String> inhibitedBy = new HashSet<>();
    inhibited.path("status").path("inhibitedBy").forEach(f -> inhibitedBy.add(f.asText()));
    assertTrue(!inhibitedBy.isEmpty() && nodeDownFingerprints.containsAll(inhibitedBy),
        "inhibited by " + stopped.name() + "'s NodeDown " + nodeDownFingerprints + ": " + inhibited);
    assertEquals("active", byNode.get(other.name()).path("status").path("state").asText(), restarting::toString);
    assertTrue(webhookPosts("ContainerRestarting", "firing", stopped.name()).isEmpty(),
        "an inhibited alert must not be posted: " + webhook);
  }

  /**
   * A node killed while its counter logs, and started again at once: its shipper resumes from the
   * checkpoint on the node's volume. Test 6 then checks the killed node's lines like the others.
   * (It was opt-in while a one-line mismatch in 1 of 5 runs was unexplained: that was test 6's
   * own race, fixed; docs/test-bed.md, "Found on the bed".)
   */
  @Test
  @Order(5)
  void aNodeThatCrashesWhileItLogsResumesFromItsCheckpoint() {
    // A fresh counter task on every node (the first round's containers stay, stopped, with their logs).
    bed.docker(data, 120, "service", "update", "--force", "--update-parallelism", "0", "--detach", COUNTER);
    Map<String, Long> before = await("new bed-counter tasks logging on every node", Duration.ofSeconds(120), () -> {
      Map<String, Long> perNode = new TreeMap<>();
      for (Node n : bed.nodes()) {
        String id = bed.docker(n, 30, "ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + COUNTER).strip();
        if (id.isEmpty() || id.contains("\n") || written.containsKey(n.name() + " " + id)) {
          return null;
        }
        long docs = esCount("{\"query\":{\"term\":{\"container.id\":\"" + id + "\"}}}");
        if (docs < 100) {
          return null;
        }
        perNode.put(n.name(), docs);
      }
      return perNode;
    });
    Node leader = bed.leaderSeenBy(data);
    crashed = bed.nodes().stream().filter(n -> n != leader && n != data).findFirst().orElseThrow();
    // A power cut, not a shutdown: the shipper gets no chance to flush, and the node is back
    // before the managers mark it Down, so Swarm keeps its tasks (and the counter's container).
    Instant t = Instant.now();
    bed.kill(crashed);
    bed.startAgain(crashed);
    figures.put(crashed.name() + " killed with " + before.get(crashed.name()) + " of its counter's lines in Elasticsearch, engine back in",
        seconds(t));
  }

  @Test
  @Order(6)
  void everyNumberedLineIsInElasticsearchExactlyOnceWithItsNodesHostname() {
    // The record: every bed-counter container's log on its node's engine, of both rounds.
    written.putAll(counterLogs());
    long total = written.values().stream().mapToLong(List::size).sum();
    figures.put("bed-counter containers and lines written", written.size() + " containers, " + total + " lines");
    int rounds = crashed == null ? 1 : 2;
    assertTrue(written.size() >= rounds * NODES && written.keySet().stream().map(k -> k.split(" ")[0]).collect(Collectors.toSet())
        .equals(nodeIds.keySet()), "bed-counter containers on every node: " + written.keySet());

    // Until Elasticsearch holds, for every container, as many documents as it wrote lines, or two
    // minutes: then compare line by line. (A service-wide count is not enough: the documents of
    // the container removed with its node count there too, so it was reached while another
    // container's last line was still on its way.)
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      esRefresh();
      Map<String, List<String>> soFar = counterDocuments(written.keySet());
      if (written.entrySet().stream().allMatch(e -> soFar.getOrDefault(e.getKey(), List.of()).size() >= e.getValue().size())) {
        break;
      }
      sleep(2000);
    }
    esRefresh();
    Map<String, List<String>> stored = counterDocuments(written.keySet());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : written.entrySet()) {
      String node = e.getKey().split(" ")[0];
      String id = e.getKey().split(" ")[1];
      List<String> lines = e.getValue();
      // The container's own record is complete: lines 1..n of one slot.
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).matches("bed-counter slot=\\d+ line=" + (i + 1))) {
          problems.add(e.getKey() + ": line " + (i + 1) + " is '" + lines.get(i) + "'");
          break;
        }
      }
      List<String> docs = stored.getOrDefault(node + " " + id, List.of());
      if (!new ArrayList<>(docs).equals(lines)) {
        Set<String> missing = new TreeSet<>(lines);
        docs.forEach(missing::remove);
        problems.add(e.getKey() + ": " + lines.size() + " lines written, " + docs.size() + " documents, "
            + new HashSet<>(docs).size() + " distinct, missing " + abbreviate(missing.toString()));
      }
    }
    // The container removed with its node: its documents are lines 1..k, each once.
    List<String> removed = counterDocuments(Set.of(removedAtStop)).get(removedAtStop);
    for (int i = 0; i < removed.size(); i++) {
      if (!removed.get(i).matches("bed-counter slot=\\d+ line=" + (i + 1))) {
        problems.add(removedAtStop + " (removed at its node's stop): document " + (i + 1) + " is '" + removed.get(i) + "'");
        break;
      }
    }
    figures.put("counter removed with its node " + removedAtStop.substring(0, removedAtStop.length() - 52)
        + ": lines in Elasticsearch before the stop / in the end (1..k, each once)",
        shippedBeforeStop.get(stopped.name()) + "+ / " + removed.size());
    long matched = stored.values().stream().mapToLong(List::size).sum() + removed.size();
    long all = esCount("{\"query\":{\"term\":{\"swarm.service\":\"" + COUNTER + "\"}}}");
    written.forEach((k, v) -> {
      if (crashed != null && k.startsWith(crashed.name() + " ")) {
        figures.put("counter on the killed node " + k.substring(0, k.length() - 52) + ": written / in Elasticsearch",
            v.size() + " / " + stored.get(k).size());
      }
    });
    measure(total);
    assertEquals(matched, all, () -> "documents of " + COUNTER + " under a host.name or container that did not write them: "
        + strays(written.keySet(), removedAtStop) + "; " + problems);
    assertEquals(List.of(), problems);
  }

  /**
   * Two of three managers down: no quorum, no leader, and the node list fails. The survivor's
   * exporter still reports the Raft membership (3) and that no leader is reachable, and
   * Prometheus (on the survivor) evaluates SwarmManagerQuorumLost as true (pending or firing; its
   * `for` and the firing are promtool-tested). Last: it takes the swarm down for a while.
   */
  @Test
  @Order(7)
  void withTwoOfThreeManagersDownTheSurvivorsExporterStillReportsAndQuorumLostIsRaised() {
    List<Node> others = bed.nodes().stream().filter(n -> n != data).toList();
    Instant quorumLostAt = Instant.now();
    try {
      others.forEach(bed::stop);
      List<Sample> view = await("the surviving manager's exporter to report no reachable leader",
          Duration.ofSeconds(180), () -> {
            String text = tryGet("http://" + data.ip() + ":9100/metrics");
            if (text == null) {
              return null;
            }
            List<Sample> samples = Exposition.parse(text);
            boolean noLeader = samples.stream().anyMatch(x -> x.name().equals("swarm_manager_leader_reachable")
                && x.value() == 0);
            return noLeader ? samples : null;
          });
      figures.put("two managers stopped -> survivor's exporter reports no reachable leader", seconds(quorumLostAt));
      List<Double> raft = view.stream().filter(x -> x.name().equals("swarm_manager_raft_managers"))
          .map(Sample::value).toList();
      assertEquals(List.of((double) NODES), raft, "the Raft membership as the survivor knows it");
      assertTrue(view.stream().noneMatch(x -> x.name().equals("swarm_manager_reachable_managers")),
          "no count of reachable managers without a leader to list the nodes");
      assertTrue(view.stream().noneMatch(x -> x.name().equals("swarm_node_info")),
          "no cluster state without a leader");
      await("SwarmManagerQuorumLost pending or firing in Prometheus", Duration.ofSeconds(120),
          () -> promResult("ALERTS{alertname=\"SwarmManagerQuorumLost\"}").size() > 0 ? true : null);
      figures.put("two managers stopped -> SwarmManagerQuorumLost raised (pending)", seconds(quorumLostAt));
    } finally {
      others.forEach(bed::startAgain);
    }
    Instant back = Instant.now();
    await("a leader again after both managers are back", Duration.ofSeconds(180),
        () -> bed.leaderSeenBy(data));
    await("the survivor's exporter to reach the leader again", Duration.ofSeconds(120), () -> {
      String text = tryGet("http://" + data.ip() + ":9100/metrics");
      return text != null && Exposition.parse(text).stream().anyMatch(
          x -> x.name().equals("swarm_manager_leader_reachable") && x.value() == 1) ? true : null;
    });
    figures.put("both managers started -> leader reachable again", seconds(back));
  }

  /** What docs/scaling.md is derived from: per-node cost of the exporter and the shipper, bytes per line. */
  private void measure(long lines) {
    JsonNode stats = getJson("http://" + data.ip() + ":9200/swarmscope-logs-*/_stats/docs,store");
    long docs = stats.path("_all").path("primaries").path("docs").path("count").asLong();
    long bytes = stats.path("_all").path("primaries").path("store").path("size_in_bytes").asLong();
    figures.put("Elasticsearch swarmscope-logs-*: documents, store bytes, bytes per document", docs + ", " + bytes
        + ", " + (docs == 0 ? "-" : Long.toString(bytes / docs)));
    long window = Duration.between(counterStarted, Instant.now()).toSeconds() + 10;
    JsonNode cpu = promResult("sum by (node) (increase(container_cpu_usage_seconds_total{service=\"" + STACK
        + "_log-shipper\"}[" + window + "s]))");
    JsonNode shipped = promResult("sum by (node) (increase(swarmscope_log_lines_total{service=\"" + COUNTER + "\"}[" + window + "s]))");
    Map<String, Double> lineCounts = new TreeMap<>();
    shipped.forEach(r -> lineCounts.put(r.path("metric").path("node").asText(), r.path("value").get(1).asDouble()));
    cpu.forEach(r -> {
      String node = r.path("metric").path("node").asText();
      double seconds = r.path("value").get(1).asDouble();
      figures.put("shipper CPU on " + node + " over the counter run (" + window + " s)", String.format(
          "%.2f s for %.0f counter lines (all containers' lines: see swarmscope_log_lines_total)", seconds,
          lineCounts.getOrDefault(node, 0.0)));
    });
    for (String service : List.of("exporter", "log-shipper")) {
      promResult("sum by (node) (rate(container_cpu_usage_seconds_total{service=\"" + STACK + "_" + service + "\"}[2m]))")
          .forEach(r -> figures.put(service + " CPU cores (2-minute rate) on " + r.path("metric").path("node").asText(),
              r.path("value").get(1).asText()));
      promResult("sum by (node) (container_memory_working_set_bytes{service=\"" + STACK + "_" + service + "\"})")
          .forEach(r -> figures.put(service + " working set bytes on " + r.path("metric").path("node").asText(),
              r.path("value").get(1).asText()));
    }
    JsonNode head = promResult("prometheus_tsdb_head_series");
    JsonNode rss = promResult("process_resident_memory_bytes{job=\"prometheus\"}");
    figures.put("Prometheus head series, resident bytes", (head.isEmpty() ? "-" : head.get(0).path("value").get(1).asText())
        + ", " + (rss.isEmpty() ? "-" : rss.get(0).path("value").get(1).asText()));
    figures.put("all lines of the counter run", Long.toString(lines));
  }

  /** The messages of the documents of each "node container-id", from that node's hostname, in line order. */
  private Map<String, List<String>> counterDocuments(Set<String> keys) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String key : keys) {
      String[] k = key.split(" ");
      JsonNode hits = esSearch("{\"size\":10000,\"_source\":[\"message\"],\"query\":{\"bool\":{\"filter\":["
          + "{\"term\":{\"container.id\":\"" + k[1] + "\"}},{\"term\":{\"host.name\":\"" + k[0] + "\"}}]}}}")
          .path("hits").path("hits");
      List<String> messages = new ArrayList<>();
      hits.forEach(h -> messages.add(JsonHttp.field(h.path("_source"), "message")));
      messages.sort((a, b) -> Integer.compare(lineNumber(a), lineNumber(b)));
      out.put(key, messages);
    }
    return out;
  }

  /** Up to five documents of the counter under none of the known "node container-id" keys. */
  private String strays(Set<String> keys, String removedKey) {
    StringBuilder notKnown = new StringBuilder();
    Set<String> all = new TreeSet<>(keys);
    all.add(removedKey);
    for (String key : all) {
      String[] k = key.split(" ");
      notKnown.append(notKnown.isEmpty() ? "" : ",").append("{\"bool\":{\"filter\":[{\"term\":{\"container.id\":\"")
          .append(k[1]).append("\"}},{\"term\":{\"host.name\":\"").append(k[0]).append("\"}}]}}");
    }
    return esSearch("{\"size\":5,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"swarm.service\":\"" + COUNTER
        + "\"}}],\"must_not\":[" + notKnown + "]}}}").path("hits").toString();
  }

  private static int lineNumber(String message) {
    int i = message.lastIndexOf("line=");
    return i < 0 ? -1 : Integer.parseInt(message.substring(i + 5).strip());
  }

  // ---------------------------------------------------------------- helpers

  private void requireDocker() {
    Tools.require("docker");
    Tools.Exec info = Tools.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30);
    String message = "no Docker engine (scripts/setup-host.sh starts one): " + info.output();
    if (Tools.inCi()) {
      assertEquals(0, info.exitCode(), message);
    } else {
      assumeTrue(info.exitCode() == 0, message);
    }
  }

  /** Node names whose exporter serves swarm_* series now (unreachable exporters count as none). */
  private List<String> swarmExporters(List<Node> nodes) {
    List<String> out = new ArrayList<>();
    for (Node n : nodes) {
      String text = tryGet("http://" + n.ip() + ":9100/metrics");
      if (text != null && text.lines().anyMatch(l -> l.startsWith("swarm_node_info{"))) {
        out.add(n.name());
      }
    }
    return out;
  }

  /** Running tasks of a service: task id to node hostname. */
  private Map<String, String> runningTasks(String service) {
    Map<String, String> out = new TreeMap<>();
    String ps = bed.docker(data, 30, "service", "ps", service, "--filter", "desired-state=running",
        "--format", "{{.ID}} {{.Node}} {{.CurrentState}}");
    ps.lines().filter(l -> l.contains(" Running ")).forEach(l -> out.put(l.split(" ")[0], l.split(" ")[1]));
    return out;
  }

  private boolean converged() {
    Tools.Exec e = bed.tryDocker(data, 30, "stack", "services", STACK, "--format", "{{.Name}} {{.Replicas}}");
    if (e.exitCode() != 0 || e.output().isBlank()) {
      return false;
    }
    for (String line : e.output().strip().split("\n")) {
      String[] f = line.split(" ");
      String[] replicas = f[1].split("/");
      if (f[0].equals(STACK + "_setup")) {
        if (!bed.tryDocker(data, 30, "service", "ps", f[0], "--format", "{{.CurrentState}}").output().contains("Complete")) {
          return false;
        }
      } else if (!replicas[0].equals(replicas[1].replaceAll("\\D.*", ""))) {
        return false;
      }
    }
    return true;
  }

  private Received awaitWebhook(String what, Duration timeout, String alertname, String status, String node) {
    return await(what + " at the webhook", timeout, () -> {
      List<Received> r = webhookPosts(alertname, status, node);
      return r.isEmpty() ? null : r.getFirst();
    });
  }

  private List<Received> webhookPosts(String alertname, String status, String node) {
    List<Received> out = new ArrayList<>();
    for (Received r : webhook) {
      for (JsonNode a : r.body().path("alerts")) {
        if (a.path("status").asText().equals(status) && a.path("labels").path("alertname").asText().equals(alertname)
            && a.path("labels").path("node").asText().equals(node)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Posts an alert straight to Alertmanager, as Prometheus would, valid for five minutes. */
  private void postAlert(String alertname, String node) {
    String body = Bundle.JSON.createArrayNode().add(Bundle.JSON.createObjectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("labels", Bundle.JSON.createObjectNode()
            .put("alertname", alertname).put("node", node).put("stack", STACK).put("service", COUNTER)
            .put("severity", "warning"))
        .put("startsAt", Instant.now().toString()).put("endsAt", Instant.now().plusSeconds(300).toString()))
        .toString();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + data.ip() + ":9093/api/v2/alerts"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r::body);
    } catch (IOException e) {
      throw new AssertionError("posting " + body + " to Alertmanager", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Alertmanager's view, also of suppressed (inhibited) alerts. */
  private JsonNode amAlerts(String matcher) {
    return getJson("http://" + data.ip() + ":9093/api/v2/alerts?filter=" + URLEncoder.encode(matcher, StandardCharsets.UTF_8));
  }

  private void startWebhook() {
    try {
      receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName(SwarmBed.GATEWAY), WEBHOOK_PORT), 0);
    } catch (IOException e) {
      throw new AssertionError("cannot listen on " + SwarmBed.GATEWAY + ":" + WEBHOOK_PORT, e);
    }
    receiver.createContext("/", ex -> {
      Instant at = Instant.now();
      byte[] body = ex.getRequestBody().readAllBytes();
      try {
        webhook.add(new Received(at, ex.getRequestURI().getPath(), Bundle.JSON.readTree(body)));
      } catch (IOException e) {
        webhook.add(new Received(at, ex.getRequestURI().getPath(), Bundle.JSON.createObjectNode()
            .put("unparsed", new String(body, StandardCharsets.UTF_8))));
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receiver.start();
  }

  private JsonNode promResult(String promql) {
    JsonNode r = getJson("http://" + data.ip() + ":9090/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    return r.path("data").path("result");
  }

  private JsonNode esSearch(String body) {
    return json.postJson("http://" + data.ip() + ":9200/swarmscope-logs-*/_search", body, Duration.ofSeconds(60));
  }

  private long esCount(String body) {
    return json.postJson("http://" + data.ip() + ":9200/swarmscope-logs-*/_count", body, Duration.ofSeconds(60))
        .path("count").asLong(-1);
  }

  private void esRefresh() {
    json.send(HttpRequest.newBuilder(URI.create("http://" + data.ip() + ":9200/swarmscope-logs-*/_refresh"))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private JsonNode getJson(String url) {
    return json.get(url);
  }


  private String get(String url) {
    String text = tryGet(url);
    assertTrue(text != null, "GET " + url + " failed");
    return text;
  }

  /** The body of a 200 answer, or null. */
  private String tryGet(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }


  private <T> T await(String what, Duration timeout, Supplier<T> probe) {
    try {
      return SwarmBed.await(what, timeout, probe);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + diagnostics(), e);
    }
  }

  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    if (bed != null && data != null) {
      b.append("\n--- docker stack ps ").append(STACK).append(":\n").append(bed.tryDocker(data, 30, "stack", "ps", STACK,
          "--no-trunc", "--format", "{{.Name}} {{.Node}} {{.DesiredState}} {{.CurrentState}} {{.Error}}").output());
      b.append("--- nodes:\n").append(bed.tryDocker(data, 30, "node", "ls").output());
    }
    b.append("--- webhook received ").append(webhook.size()).append(" posts");
    webhook.forEach(r -> b.append("\n  ").append(r.at()).append(' ').append(r.path()).append(' ')
        .append(r.body().path("status").asText()).append(' ').append(r.body().path("commonLabels")));
    return b.toString();
  }

  /** What a node's exporter says of its container collector and Docker, for a failure message. */
  private String exporterDiagnostics(Node n, List<Sample> samples) {
    StringBuilder b = new StringBuilder("\n  its exporter's own series:");
    samples.stream().filter(s -> s.name().startsWith("swarmscope_") || "container".equals(s.labels().get("collector")))
        .forEach(s -> b.append("\n    ").append(s.key()).append(' ').append(s.value()));
    b.append("\n  containers on ").append(n.name()).append(":\n").append(bed.tryDocker(n, 30, "ps", "-a",
        "--format", "    {{.ID}} {{.Names}} {{.Status}}").output());
    String exporter = bed.tryDocker(n, 30, "ps", "-q", "--filter",
        "label=com.docker.swarm.service.name=" + STACK + "_exporter").output().strip();
    if (!exporter.isEmpty() && !exporter.contains("\n")) {
      b.append("  its exporter's last log lines:\n").append(bed.tryDocker(n, 30, "logs", "--tail", "40", exporter).output());
    }
    return b.toString();
  }

  private static void sleep(long millis) {
    Tools.sleep(millis);
  }

  private String seconds(Instant from) {
    return seconds(from, Instant.now());
  }

  private static String seconds(Instant from, Instant to) {
    return String.format("%.1f s", Duration.between(from, to).toMillis() / 1000.0);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }
}
