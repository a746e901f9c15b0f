package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedstatCollectorTest {

  @TempDir Path dir;

  @Test
  void exportsPerCpuRunWaitAndTimeslices() {
    // node_exporter's own fixture (schedstat version 15); domain lines are skipped.
    var tree = new FixtureTree(dir).file("proc/schedstat", """
        version 15
        timestamp 15819019232
        cpu0 498494191 0 3533438552 2553969831 3853684107 2465731542 2045936778163039 343796328169361 4767485306
        domain0 00000000,00000003 212499247 210112015 1861015 1860405436 536440 369895 32599 210079416 25368550 24241256 384652 927363878 807233 6366 1647 24239609 2122447165 1886868564 121112060 2848625533 125678146 241025 1032026 1885836538 2545 12 2533 0 0 0 0 0 0 1387952561 21076581 0
        cpu1 518377256 0 4155211005 2778589869 10466382 2867629021 1904686152592476 364107263788241 5145567945
        """);
    assertEquals("""
        # HELP node_schedstat_running_seconds_total Number of seconds CPU spent running a process.
        # TYPE node_schedstat_running_seconds_total counter
        node_schedstat_running_seconds_total{cpu="0"} 2045936.778163039
        node_schedstat_running_seconds_total{cpu="1"} 1904686.152592476
        # HELP node_schedstat_timeslices_total Number of timeslices executed by CPU.
        # TYPE node_schedstat_timeslices_total counter
        node_schedstat_timeslices_total{cpu="0"} 4.767485306E9
        node_schedstat_timeslices_total{cpu="1"} 5.145567945E9
        # HELP node_schedstat_waiting_seconds_total Number of seconds spent by processing waiting for this CPU.
        # TYPE node_schedstat_waiting_seconds_total counter
        node_schedstat_waiting_seconds_total{cpu="0"} 343796.328169361
        node_schedstat_waiting_seconds_total{cpu="1"} 364107.263788241
        """, Exposition.text(new SchedstatCollector(tree.paths())));
  }

  @Test
  void kernelWithoutSchedstatsIsNoData() {
    var tree = new FixtureTree(dir);
    assertThrows(NoDataException.class,
        () -> new SchedstatCollector(tree.paths()).collect(new ArrayList<>()));
  }
}
