package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.collector.FilesystemCollector;
import io.swarmscope.exporter.host.JnaStatFs;
import io.swarmscope.exporter.it.ScrapedFamilies.MetricFamily;
import io.swarmscope.exporter.it.ScrapedFamilies.Sample;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs Debian's real node_exporter and our exporter side by side on this machine and compares
 * what both export: same type and label names for every shared family, same values for the
 * values that do not move between two scrapes.
 */
class NodeExporterComparisonIT {

  private static Process nodeExporter;
  private static Exporter ours;
  private static ScrapedFamilies theirs;
  private static ScrapedFamilies mine;

  @BeforeAll
  static void scrapeBoth() throws Exception {
    TestEnvironment.requireBinary("prometheus-node-exporter");
    int port = freePort();
    // Debian patches node_exporter's defaults (it also hides /run, /mnt, /media and lo); give
    // it upstream 1.5's defaults explicitly so both sides run the same configuration.
    nodeExporter = new ProcessBuilder("prometheus-node-exporter",
        "--web.listen-address=127.0.0.1:" + port,
        "--collector.filesystem.mount-points-exclude=" + FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
        "--collector.filesystem.fs-types-exclude=" + FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE,
        "--collector.netdev.device-exclude=^$")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0", "--docker.host=");
    ours = Exporter.start(flags, new CollectorContext(flags.paths(), Clock.systemUTC(),
        new JnaStatFs(), flags.options()));
    theirs = ScrapedFamilies.parse(
        TestEnvironment.scrape("http://127.0.0.1:" + port + "/metrics", Duration.ofSeconds(20)));
    mine = ScrapedFamilies.parse(
        TestEnvironment.scrape("http://127.0.0.1:" + ours.port() + "/metrics", Duration.ofSeconds(20)));
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Set<String> sharedFamilies() {
    Set<String> shared = new TreeSet<>(theirs.families().keySet());
    shared.retainAll(mine.families().keySet());
    return shared;
  }

  @Test
  void sharedFamiliesHaveTheSameTypeAndLabelNames() {
    Set<String> shared = sharedFamilies();
    // The host collectors cover well over a hundred node_exporter families; far fewer means a
    // collector is missing or misnamed, and the comparison below would prove little.
    assertTrue(shared.size() >= 150, "only " + shared.size() + " shared families: " + shared);
    List<String> mismatches = new ArrayList<>();
    for (String name : shared) {
      MetricFamily a = theirs.get(name);
      MetricFamily b = mine.get(name);
      if (!a.type().equals(b.type())) {
        mismatches.add(name + ": type " + a.type() + " vs ours " + b.type());
      }
      if (!a.labelNames().equals(b.labelNames())) {
        mismatches.add(name + ": labels " + a.labelNames() + " vs ours " + b.labelNames());
      }
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void everyCoreFamilyIsExported() {
    List<String> core = List.of("node_cpu_seconds_total", "node_memory_MemTotal_bytes",
        "node_memory_MemAvailable_bytes", "node_load1", "node_filesystem_size_bytes",
        "node_filesystem_avail_bytes", "node_filesystem_files_free", "node_filesystem_readonly",
        "node_disk_read_bytes_total", "node_disk_io_time_seconds_total",
        "node_network_receive_bytes_total", "node_network_transmit_bytes_total",
        "node_netstat_Tcp_CurrEstab", "node_sockstat_sockets_used", "node_vmstat_pgmajfault",
        "node_vmstat_oom_kill", "node_boot_time_seconds", "node_context_switches_total",
        "node_procs_running", "node_time_seconds", "node_uname_info", "node_filefd_allocated",
        "node_nf_conntrack_entries_limit", "node_os_info", "node_pressure_cpu_waiting_seconds_total");
    List<String> missing = core.stream()
        .filter(n -> theirs.get(n) != null && mine.get(n) == null).toList();
    assertEquals(List.of(), missing);
  }

  @Test
  void stableValuesAreEqual() {
    List<String> differences = new ArrayList<>();
    for (String name : List.of("node_memory_MemTotal_bytes", "node_memory_SwapTotal_bytes",
        "node_filefd_maximum", "node_nf_conntrack_entries_limit")) {
      compareAll(name, 0, differences);
    }
    compareAll("node_boot_time_seconds", 1, differences);
    compareAll("node_filesystem_size_bytes", 0, differences);
    compareAll("node_filesystem_files", 0, differences);
    compareAll("node_filesystem_readonly", 0, differences);
    assertEquals(cpus(theirs), cpus(mine), "CPU count from node_cpu_seconds_total");
    assertFalse(cpus(mine).isEmpty());
    assertEquals(theirs.get("node_uname_info").samples(), mine.get("node_uname_info").samples());
    assertEquals(theirs.get("node_os_info").samples(), mine.get("node_os_info").samples());
    assertEquals(List.of(), differences);
  }

  @Test
  void issueNineCollectorsAgreeWithNodeExporter() {
    // Same success on both sides: on this machine hwmon, mdadm, nfs and schedstat have no source
    // (no sensors, no md driver, no NFS client, no CONFIG_SCHEDSTATS), netclass, entropy, timex
    // and textfile do. NodeExporterFixtureComparisonIT compares the former on fixture files.
    MetricFamily theirSuccess = theirs.get("node_scrape_collector_success");
    MetricFamily ourSuccess = mine.get("node_scrape_collector_success");
    List<String> differences = new ArrayList<>();
    for (String c : List.of("entropy", "hwmon", "mdadm", "netclass", "nfs", "schedstat", "textfile",
        "timex")) {
      double a = theirSuccess.value(Map.of("collector", c));
      double b = ourSuccess.value(Map.of("collector", c));
      if (a != b) {
        differences.add(c + ": node_exporter success " + a + " vs ours " + b);
      }
    }
    for (String name : List.of("node_entropy_pool_size_bits", "node_timex_sync_status",
        "node_timex_status", "node_timex_tick_seconds", "node_timex_loop_time_constant",
        "node_timex_tai_offset_seconds")) {
      compareAll(name, 0, differences);
    }
    // Interfaces other tests create and remove (veths, bridges of test networks) may differ
    // between the two scrapes; the machine's own ones do not.
    for (String device : List.of("lo", "eth0", "docker0", "docker_gwbridge")) {
      if (!java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", device))) {
        continue;
      }
      for (String name : List.of("node_network_up", "node_network_mtu_bytes", "node_network_speed_bytes",
          "node_network_iface_id", "node_network_flags", "node_network_carrier",
          "node_network_protocol_type", "node_network_transmit_queue_length",
          "node_network_address_assign_type", "node_network_name_assign_type")) {
        MetricFamily a = theirs.get(name);
        MetricFamily b = mine.get(name);
        double x = a == null ? Double.NaN : a.value(Map.of("device", device));
        double y = b == null ? Double.NaN : b.value(Map.of("device", device));
        if (Double.compare(x, y) != 0) {
          differences.add(name + "{device=" + device + "}: node_exporter " + x + " vs ours " + y);
        }
      }
      List<Sample> theirInfo = info(theirs, device);
      List<Sample> ourInfo = info(mine, device);
      if (!theirInfo.equals(ourInfo) || theirInfo.size() != 1) {
        differences.add("node_network_info{device=" + device + "}: " + theirInfo + " vs ours " + ourInfo);
      }
    }
    assertEquals(List.of(), differences);
  }

  @Test
  void defaultsMatchTheInstalledNodeExporter() {
    String help = TestEnvironment.runOrFail(List.of("prometheus-node-exporter", "--help"), 30)
        .output().replaceAll("\\s+", " ");
    var m = java.util.regex.Pattern.compile(
        "--collector\\.([a-z_]+) Enable the \\1 collector \\(default: (enabled|disabled)\\)").matcher(help);
    Map<String, Boolean> theirDefaults = new java.util.TreeMap<>();
    while (m.find()) {
      theirDefaults.put(m.group(1), m.group(2).equals("enabled"));
    }
    List<String> differences = new ArrayList<>();
    for (var spec : io.swarmscope.exporter.collector.CollectorCatalog.all()) {
      Boolean theirs = theirDefaults.get(spec.name());
      if (theirs != null && theirs != spec.enabledByDefault()) {
        differences.add(spec.name() + ": node_exporter " + theirs + " vs ours " + spec.enabledByDefault());
      }
    }
    assertTrue(theirDefaults.size() > 40, "could not read node_exporter's collectors: " + theirDefaults);
    assertEquals(List.of(), differences);
  }

  private static List<Sample> info(ScrapedFamilies f, String device) {
    return f.get("node_network_info").samples().stream()
        .filter(s -> device.equals(s.labels().get("device"))).toList();
  }

  private static Set<String> cpus(ScrapedFamilies f) {
    return f.get("node_cpu_seconds_total").samples().stream()
        .map(s -> s.labels().get("cpu")).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every sample of {@code name} that node_exporter has must be in ours with the same value. */
  private static void compareAll(String name, double tolerance, List<String> differences) {
    MetricFamily a = theirs.get(name);
    MetricFamily b = mine.get(name);
    if (a == null) {
      return;
    }
    if (b == null) {
      differences.add(name + ": missing in ours");
      return;
    }
    for (Sample s : a.samples()) {
      double ourValue = b.value(s.labels());
      if (Double.isNaN(ourValue) || Math.abs(ourValue - s.value()) > tolerance) {
        differences.add(name + s.labels() + ": node_exporter " + s.value() + " vs ours " + ourValue);
      }
    }
    assertEquals(a.samples().size(), b.samples().size(), name + " sample count: "
        + a.samples().stream().map(Sample::labels).map(Map::toString).toList() + " vs "
        + b.samples().stream().map(Sample::labels).map(Map::toString).toList());
  }
}
