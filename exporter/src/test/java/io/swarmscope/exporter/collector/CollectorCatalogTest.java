package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The catalog as the flags see it: defaults, and every collector switchable on and off. */
class CollectorCatalogTest {

  /**
   * node_exporter 1.5's defaults for the collectors both have (upstream's, from its
   * collector/*.go registrations; Debian's package changes none of these).
   * NodeExporterComparisonIT checks them against the installed binary's --help.
   */
  static final Map<String, Boolean> NODE_EXPORTER_DEFAULTS = new TreeMap<>(Map.ofEntries(
      Map.entry("conntrack", true), Map.entry("cpu", true), Map.entry("diskstats", true),
      Map.entry("entropy", true), Map.entry("filefd", true), Map.entry("filesystem", true),
      Map.entry("hwmon", true), Map.entry("loadavg", true), Map.entry("mdadm", true),
      Map.entry("meminfo", true), Map.entry("netclass", true), Map.entry("netdev", true),
      Map.entry("netstat", true), Map.entry("nfs", true), Map.entry("os", true),
      Map.entry("pressure", true), Map.entry("schedstat", true), Map.entry("sockstat", true),
      Map.entry("stat", true), Map.entry("textfile", true), Map.entry("time", true),
      Map.entry("timex", true), Map.entry("uname", true), Map.entry("vmstat", true)));

  /** Ours alone: Docker and Swarm, on by default (each answers "no data" without Docker). */
  static final List<String> SWARMSCOPE_ONLY = List.of("container", "swarm_cluster", "swarm_identity",
      "swarm_manager");

  static List<String> names() {
    return CollectorCatalog.all().stream().map(CollectorSpec::name).toList();
  }

  private static List<String> enabled(String... args) {
    ExporterFlags flags = ExporterFlags.parse(args);
    var context = new CollectorContext(new FixtureTree(Path.of("src/test/resources/fixtures")).paths(),
        Clock.systemUTC(), null, () -> null, flags.options());
    return Exporter.collectors(flags, context, CollectorCatalog.all()).names();
  }

  @Test
  void defaultsAreNodeExportersPlusOurOwn() {
    Map<String, Boolean> ours = CollectorCatalog.all().stream()
        .filter(s -> !SWARMSCOPE_ONLY.contains(s.name()))
        .collect(Collectors.toMap(CollectorSpec::name, CollectorSpec::enabledByDefault, (a, b) -> a,
            TreeMap::new));
    assertEquals(NODE_EXPORTER_DEFAULTS, ours);
    assertEquals(names().size(), NODE_EXPORTER_DEFAULTS.size() + SWARMSCOPE_ONLY.size());
    assertEquals(names(), enabled());
  }

  @ParameterizedTest
  @MethodSource("names")
  void everyCollectorCanBeSwitchedOffAndRunAlone(String name) {
    List<String> without = enabled("--no-collector." + name);
    assertFalse(without.contains(name));
    assertEquals(names().size() - 1, without.size());
    assertEquals(List.of(name), enabled("--collector.disable-defaults", "--collector." + name));
  }

  @Test
  void textfileStaysLastSoThatItSeesTheOtherFamilies() {
    assertEquals("textfile", names().get(names().size() - 1));
    assertTrue(enabled("--collector.disable-defaults", "--collector.hwmon", "--collector.textfile")
        .equals(List.of("hwmon", "textfile")));
  }

  @Test
  void unknownCollectorIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> enabled("--collector.hwmonn"));
    assertTrue(e.getMessage().contains("unknown collector: hwmonn"), e.getMessage());
  }
}
