package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeminfoCollectorTest {

  @TempDir Path dir;

  @Test
  void namesAndUnitsFollowNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/meminfo", """
        MemTotal:       24568332 kB
        Active(anon):       1520 kB
        HugePages_Total:       7
        """);
    assertEquals("""
        # HELP node_memory_Active_anon_bytes Memory information field Active_anon.
        # TYPE node_memory_Active_anon_bytes gauge
        node_memory_Active_anon_bytes 1556480.0
        # HELP node_memory_HugePages_Total Memory information field HugePages_Total.
        # TYPE node_memory_HugePages_Total gauge
        node_memory_HugePages_Total 7.0
        # HELP node_memory_MemTotal_bytes Memory information field MemTotal.
        # TYPE node_memory_MemTotal_bytes gauge
        node_memory_MemTotal_bytes 2.5157971968E10
        """, Exposition.text(new MeminfoCollector(tree.paths())));
  }
}
