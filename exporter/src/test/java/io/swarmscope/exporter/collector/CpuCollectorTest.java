package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCollectorTest {

  private static final String STAT = """
      cpu  14608 13 4742 179251 656 27 22 38 7 10
      cpu0 6872 13 1870 90849 65 7 17 18 3 1
      cpu1 7736 0 2872 88402 591 20 5 20 4 9
      intr 423793 0 0 0 0 0 0 0 0 0 1 14 0 0 199 51
      ctxt 962801
      btime 1795459730
      processes 12813
      procs_running 3
      procs_blocked 0
      softirq 217990 0 22660 20 9495 88920 0 4 51563 0 45328
      """;

  @TempDir Path dir;

  private FixtureTree tree() {
    return new FixtureTree(dir).file("proc/stat", STAT);
  }

  @Test
  void exportsPerCpuModesInSecondsAndGuestTime() {
    assertEquals("""
        # HELP node_cpu_guest_seconds_total Seconds the CPUs spent in guests (VMs) for each mode.
        # TYPE node_cpu_guest_seconds_total counter
        node_cpu_guest_seconds_total{cpu="0",mode="nice"} 0.01
        node_cpu_guest_seconds_total{cpu="0",mode="user"} 0.03
        node_cpu_guest_seconds_total{cpu="1",mode="nice"} 0.09
        node_cpu_guest_seconds_total{cpu="1",mode="user"} 0.04
        # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
        # TYPE node_cpu_seconds_total counter
        node_cpu_seconds_total{cpu="0",mode="idle"} 908.49
        node_cpu_seconds_total{cpu="0",mode="iowait"} 0.65
        node_cpu_seconds_total{cpu="0",mode="irq"} 0.07
        node_cpu_seconds_total{cpu="0",mode="nice"} 0.13
        node_cpu_seconds_total{cpu="0",mode="softirq"} 0.17
        node_cpu_seconds_total{cpu="0",mode="steal"} 0.18
        node_cpu_seconds_total{cpu="0",mode="system"} 18.7
        node_cpu_seconds_total{cpu="0",mode="user"} 68.72
        node_cpu_seconds_total{cpu="1",mode="idle"} 884.02
        node_cpu_seconds_total{cpu="1",mode="iowait"} 5.91
        node_cpu_seconds_total{cpu="1",mode="irq"} 0.2
        node_cpu_seconds_total{cpu="1",mode="nice"} 0.0
        node_cpu_seconds_total{cpu="1",mode="softirq"} 0.05
        node_cpu_seconds_total{cpu="1",mode="steal"} 0.2
        node_cpu_seconds_total{cpu="1",mode="system"} 28.72
        node_cpu_seconds_total{cpu="1",mode="user"} 77.36
        """, Exposition.text(new CpuCollector(tree().paths(), true)));
  }

  @Test
  void guestSeriesCanBeSwitchedOff() {
    String text = Exposition.text(new CpuCollector(tree().paths(), false));
    assertTrue(text.contains("node_cpu_seconds_total{cpu=\"1\",mode=\"user\"} 77.36"), text);
    assertFalse(text.contains("node_cpu_guest_seconds_total"), text);
  }

  @Test
  void isolatedCpusAndThermalThrottlesComeFromSysfs() {
    var tree = tree()
        .file("sys/devices/system/cpu/isolated", "1,3-4\n")
        // cpu0 and cpu1 are two cores of package 0; cpu2 is package 1 and has no counters.
        .file("sys/devices/system/cpu/cpu0/topology/physical_package_id", "0\n")
        .file("sys/devices/system/cpu/cpu0/topology/core_id", "0\n")
        .file("sys/devices/system/cpu/cpu0/thermal_throttle/core_throttle_count", "5\n")
        .file("sys/devices/system/cpu/cpu0/thermal_throttle/package_throttle_count", "30\n")
        .file("sys/devices/system/cpu/cpu1/topology/physical_package_id", "0\n")
        .file("sys/devices/system/cpu/cpu1/topology/core_id", "1\n")
        .file("sys/devices/system/cpu/cpu1/thermal_throttle/core_throttle_count", "6\n")
        .file("sys/devices/system/cpu/cpu1/thermal_throttle/package_throttle_count", "31\n")
        .file("sys/devices/system/cpu/cpu2/topology/physical_package_id", "1\n")
        .file("sys/devices/system/cpu/cpu2/topology/core_id", "0\n")
        .file("sys/devices/system/cpu/cpufreq/ignored", "not a cpu\n");
    String text = Exposition.text(new CpuCollector(tree.paths(), false));
    String sysfsPart = text.substring(text.indexOf("# HELP node_cpu_core_throttles_total"));
    assertEquals("""
        # HELP node_cpu_core_throttles_total Number of times this CPU core has been throttled.
        # TYPE node_cpu_core_throttles_total counter
        node_cpu_core_throttles_total{core="0",package="0"} 5.0
        node_cpu_core_throttles_total{core="1",package="0"} 6.0
        # HELP node_cpu_isolated Whether each core is isolated, information from /sys/devices/system/cpu/isolated.
        # TYPE node_cpu_isolated gauge
        node_cpu_isolated{cpu="1"} 1.0
        node_cpu_isolated{cpu="3"} 1.0
        node_cpu_isolated{cpu="4"} 1.0
        # HELP node_cpu_package_throttles_total Number of times this CPU package has been throttled.
        # TYPE node_cpu_package_throttles_total counter
        node_cpu_package_throttles_total{package="0"} 30.0
        # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
        # TYPE node_cpu_seconds_total counter
        """, sysfsPart.substring(0, sysfsPart.indexOf("node_cpu_seconds_total{")));
  }

  @Test
  void countersDoNotGoBackwardsButAHotplugResetsThem() throws Exception {
    var tree = new FixtureTree(dir).file("proc/stat", "cpu0 500 0 0 1000 0 0 0 0 0 0\n");
    var collector = new CpuCollector(tree.paths(), false);
    collector.collect(new ArrayList<>());

    tree.file("proc/stat", "cpu0 400 0 0 1100 0 0 0 0 0 0\n");
    String text = Exposition.text(collector);
    assertTrue(text.contains("{cpu=\"0\",mode=\"user\"} 5.0"), text);
    assertTrue(text.contains("{cpu=\"0\",mode=\"idle\"} 11.0"), text);

    // Idle 3 s lower than exported: the CPU was replaced, so its new counters start over.
    tree.file("proc/stat", "cpu0 100 0 0 800 0 0 0 0 0 0\n");
    text = Exposition.text(collector);
    assertTrue(text.contains("{cpu=\"0\",mode=\"user\"} 1.0"), text);
    assertTrue(text.contains("{cpu=\"0\",mode=\"idle\"} 8.0"), text);
  }

  @Test
  void garbledCpuLineIsAnError() {
    var tree = new FixtureTree(dir).file("proc/stat", "cpu0 6872 x 1870 90849\n");
    assertThrows(Exception.class, () -> new CpuCollector(tree.paths(), true).collect(new ArrayList<>()));
  }

  @Test
  void missingStatFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(Exception.class, () -> new CpuCollector(tree.paths(), true).collect(new ArrayList<>()));
  }
}
