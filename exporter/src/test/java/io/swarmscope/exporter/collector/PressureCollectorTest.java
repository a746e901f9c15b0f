package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PressureCollectorTest {

  @TempDir Path dir;

  private FixtureTree tree() {
    return new FixtureTree(dir)
        .file("proc/pressure/cpu", """
            some avg10=0.03 avg60=2.01 avg300=3.42 total=30002386
            full avg10=0.00 avg60=0.00 avg300=0.00 total=999
            """)
        .file("proc/pressure/io", """
            some avg10=0.32 avg60=4.47 avg300=2.26 total=11827716
            full avg10=0.31 avg60=4.38 avg300=2.18 total=11226743
            """)
        .file("proc/pressure/memory", """
            some avg10=0.00 avg60=0.00 avg300=0.00 total=4500000
            full avg10=0.00 avg60=0.00 avg300=0.00 total=1250000
            """);
  }

  @Test
  void exportsStallTotalsInSeconds() {
    // cpu's "full" line is ignored, as in node_exporter 1.5.
    assertEquals("""
        # HELP node_pressure_cpu_waiting_seconds_total Total time in seconds that processes have waited for CPU time
        # TYPE node_pressure_cpu_waiting_seconds_total counter
        node_pressure_cpu_waiting_seconds_total 30.002385999999998
        # HELP node_pressure_io_stalled_seconds_total Total time in seconds no process could make progress due to IO congestion
        # TYPE node_pressure_io_stalled_seconds_total counter
        node_pressure_io_stalled_seconds_total 11.226743
        # HELP node_pressure_io_waiting_seconds_total Total time in seconds that processes have waited due to IO congestion
        # TYPE node_pressure_io_waiting_seconds_total counter
        node_pressure_io_waiting_seconds_total 11.827716
        # HELP node_pressure_memory_stalled_seconds_total Total time in seconds no process could make progress due to memory congestion
        # TYPE node_pressure_memory_stalled_seconds_total counter
        node_pressure_memory_stalled_seconds_total 1.25
        # HELP node_pressure_memory_waiting_seconds_total Total time in seconds that processes have waited for memory
        # TYPE node_pressure_memory_waiting_seconds_total counter
        node_pressure_memory_waiting_seconds_total 4.5
        """, Exposition.text(new PressureCollector(tree().paths())));
  }

  @Test
  void kernelWithoutPsiIsNoDataAndAddsNothing() {
    var tree = new FixtureTree(dir).file("proc/pressure/cpu",
        "some avg10=0.03 avg60=2.01 avg300=3.42 total=30002386\n");
    List<MetricSnapshot> out = new ArrayList<>();
    assertThrows(NoDataException.class, () -> new PressureCollector(tree.paths()).collect(out));
    assertTrue(out.isEmpty());
  }

  @Test
  void garbledLineIsAnError() {
    var tree = tree().file("proc/pressure/io", "some avg10=0.32 avg60=4.47 avg300=2.26 total=-1\n");
    var e = assertThrows(IOException.class,
        () -> new PressureCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException, e.toString());
  }

  @Test
  void missingFullLineForIoIsAnError() {
    var tree = tree().file("proc/pressure/io", "some avg10=0.32 avg60=4.47 avg300=2.26 total=11827716\n");
    var e = assertThrows(IOException.class,
        () -> new PressureCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException, e.toString());
  }
}
