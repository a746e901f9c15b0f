package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadavgCollectorTest {

  @TempDir Path dir;

  @Test
  void exportsThreeLoadAverages() {
    var tree = new FixtureTree(dir).file("proc/loadavg", "0.21 0.37 0.39 1/719 19737\n");
    assertEquals("""
        # HELP node_load1 1m load average.
        # TYPE node_load1 gauge
        node_load1 0.21
        # HELP node_load15 15m load average.
        # TYPE node_load15 gauge
        node_load15 0.39
        # HELP node_load5 5m load average.
        # TYPE node_load5 gauge
        node_load5 0.37
        """, Exposition.text(new LoadavgCollector(tree.paths())));
  }

  @Test
  void truncatedFileIsAnError() {
    var tree = new FixtureTree(dir).file("proc/loadavg", "0.21\n");
    assertThrows(Exception.class, () -> new LoadavgCollector(tree.paths()).collect(new ArrayList<>()));
  }
}
