package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.host.JnaStatFs;
import io.swarmscope.exporter.it.ScrapedFamilies.MetricFamily;
import io.swarmscope.exporter.it.ScrapedFamilies.Sample;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's node_exporter 1.5 and our exporter run on the same fixture tree
 * ({@code src/test/resources/fixtures}) with only the collectors whose source this machine lacks
 * or cannot pin down (no sensors, no md arrays, no NFS client, no schedstat in this kernel) and
 * whose input is files: every family, sample, label and value must be the same. This is where
 * hwmon, mdadm, nfs and schedstat are compared with node_exporter, since
 * {@link NodeExporterComparisonIT} on the live machine sees "no data" on both sides for them.
 */
class NodeExporterFixtureComparisonIT {

  static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();
  static final List<String> COLLECTORS = List.of("entropy", "hwmon", "mdadm", "netclass", "nfs",
      "schedstat", "textfile");

  private static Process nodeExporter;
  private static Exporter ours;
  private static ScrapedFamilies theirs;
  private static ScrapedFamilies mine;

  @BeforeAll
  static void scrapeBoth() throws Exception {
    TestEnvironment.requireBinary("prometheus-node-exporter");
    // Both read the files' mtimes; a checkout gives them the checkout's time.
    try (var files = Files.list(FIXTURES.resolve("textfile"))) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-11-23T11:45:00Z")));
      }
    }
    List<String> args = new ArrayList<>(List.of("--path.procfs=" + FIXTURES.resolve("proc"),
        "--path.sysfs=" + FIXTURES.resolve("sys"), "--path.rootfs=" + FIXTURES.resolve("root"),
        "--collector.disable-defaults",
        "--collector.textfile.directory=" + FIXTURES.resolve("textfile")));
    COLLECTORS.forEach(c -> args.add("--collector." + c));

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of("prometheus-node-exporter",
        "--web.listen-address=127.0.0.1:" + port));
    command.addAll(args);
    nodeExporter = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

    List<String> ourArgs = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0", "--docker.host="));
    ourArgs.addAll(args);
    ExporterFlags flags = ExporterFlags.parse(ourArgs.toArray(String[]::new));
    ours = Exporter.start(flags, new CollectorContext(flags.paths(), Clock.systemUTC(),
        new JnaStatFs(), flags.options()));
    theirs = nodeFamilies(TestEnvironment.scrape("http://127.0.0.1:" + port + "/metrics",
        Duration.ofSeconds(20)));
    mine = nodeFamilies(TestEnvironment.scrape("http://127.0.0.1:" + ours.port() + "/metrics",
        Duration.ofSeconds(20)));
  }

  @AfterAll
  static void stop() {
    if (nodeExporter != null) {
      nodeExporter.destroy();
    }
    if (ours != null) {
      ours.close();
    }
  }

  /** The node_* families, without the per-scrape durations (Go's own go_* and process_* are not ours). */
  private static ScrapedFamilies nodeFamilies(String text) {
    return ScrapedFamilies.parse(text.lines()
        .filter(l -> l.startsWith("node_") || l.startsWith("# TYPE node_"))
        .filter(l -> !l.contains("node_scrape_collector_duration_seconds"))
        .filter(l -> !l.contains("node_exporter_build_info"))
        .collect(Collectors.joining("\n")));
  }

  @Test
  void everyCollectorSucceedsOnBothSides() {
    for (ScrapedFamilies side : List.of(theirs, mine)) {
      MetricFamily success = side.get("node_scrape_collector_success");
      for (String c : COLLECTORS) {
        assertEquals(1.0, success.value(Map.of("collector", c)), c + " failed on the fixture tree");
      }
    }
  }

  @Test
  void sameFamiliesTypesLabelsAndValues() {
    assertEquals(theirs.families().keySet(), mine.families().keySet(), "family names");
    // Far fewer would mean the fixture tree no longer exercises these collectors.
    assertTrue(mine.families().size() >= 40, "only " + mine.families().size() + " families");
    List<String> differences = new ArrayList<>();
    for (String name : theirs.families().keySet()) {
      MetricFamily a = theirs.get(name);
      MetricFamily b = mine.get(name);
      if (!a.type().equals(b.type())) {
        differences.add(name + ": type " + a.type() + " vs ours " + b.type());
      }
      Map<Map<String, String>, Double> expected = byLabels(a);
      Map<Map<String, String>, Double> actual = byLabels(b);
      Set<Map<String, String>> labels = new TreeSet<>(java.util.Comparator.comparing(Map::toString));
      labels.addAll(expected.keySet());
      labels.addAll(actual.keySet());
      for (Map<String, String> l : labels) {
        Double x = expected.get(l);
        Double y = actual.get(l);
        if (x == null || y == null || Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) {
          differences.add(name + l + ": node_exporter " + x + " vs ours " + y);
        }
      }
    }
    assertEquals(List.of(), differences);
  }

  private static Map<Map<String, String>, Double> byLabels(MetricFamily f) {
    Map<Map<String, String>, Double> m = new TreeMap<>(java.util.Comparator.comparing(Map::toString));
    for (Sample s : f.samples()) {
      m.put(new TreeMap<>(s.labels()), s.value());
    }
    return m;
  }
}
