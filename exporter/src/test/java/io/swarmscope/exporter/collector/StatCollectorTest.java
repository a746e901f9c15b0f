package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCollectorTest {

  @TempDir Path dir;

  @Test
  void exportsKernelActivityCounters() {
    var tree = new FixtureTree(dir).file("proc/stat", """
        cpu  14608 0 4742 179252 657 0 119 39 0 0
        cpu0 6872 0 1870 90849 65 0 17 18 0 0
        intr 423793 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 14 0 0 0 0 199 51
        ctxt 962801
        btime 1795459730
        processes 12813
        procs_running 3
        procs_blocked 2
        softirq 217990 0 22660 20 9495 88920 0 4 51563 0 45328
        """);
    assertEquals("""
        # HELP node_boot_time_seconds Node boot time, in unixtime.
        # TYPE node_boot_time_seconds gauge
        node_boot_time_seconds 1.79545973E9
        # HELP node_context_switches_total Total number of context switches.
        # TYPE node_context_switches_total counter
        node_context_switches_total 962801.0
        # HELP node_forks_total Total number of forks.
        # TYPE node_forks_total counter
        node_forks_total 12813.0
        # HELP node_intr_total Total number of interrupts serviced.
        # TYPE node_intr_total counter
        node_intr_total 423793.0
        # HELP node_procs_blocked Number of processes blocked waiting for I/O to complete.
        # TYPE node_procs_blocked gauge
        node_procs_blocked 2.0
        # HELP node_procs_running Number of processes in runnable state.
        # TYPE node_procs_running gauge
        node_procs_running 3.0
        """, Exposition.text(new StatCollector(tree.paths())));
  }

  @Test
  void garbledValueIsAnError() {
    var tree = new FixtureTree(dir).file("proc/stat", "ctxt 96x801\nbtime 1795459730\n");
    assertThrows(Exception.class, () -> new StatCollector(tree.paths()).collect(new ArrayList<>()));
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(Exception.class, () -> new StatCollector(tree.paths()).collect(new ArrayList<>()));
  }
}
