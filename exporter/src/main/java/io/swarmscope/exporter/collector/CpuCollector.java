package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code cpu} collector on Linux, as enabled by default:
 * <ul>
 *   <li>{@code node_cpu_seconds_total{cpu,mode}} and {@code node_cpu_guest_seconds_total{cpu,mode}}
 *       from the per-CPU lines of {@code /proc/stat} (USER_HZ ticks turned into seconds);</li>
 *   <li>{@code node_cpu_isolated{cpu}} from {@code /sys/devices/system/cpu/isolated}, read once at
 *       construction as node_exporter does (an unreadable or garbled file fails construction, as
 *       it fails node_exporter's start);</li>
 *   <li>{@code node_cpu_core_throttles_total{package,core}} and
 *       {@code node_cpu_package_throttles_total{package}} from each CPU's {@code thermal_throttle}
 *       directory, where the platform has one (Intel bare metal; not VMs).</li>
 * </ul>
 *
 * <p>Like node_exporter, a counter that goes backwards keeps its previous value, and a CPU whose idle
 * time drops by 3 s or more is taken to have been hot-plugged and restarts from the new values.
 * {@code --collector.cpu.guest=false} drops the guest series. Not thread-safe: one scrape at a time.
 */
public final class CpuCollector implements Collector {

  /** The kernel's USER_HZ: /proc/stat counts in 1/100 s on every architecture Linux exports it for. */
  private static final double USER_HZ = 100;
  /** An idle counter falling this far means the CPU went away and came back (hotplug). */
  private static final double JUMP_BACK_SECONDS = 3.0;
  private static final String[] MODES =
      {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
  private static final int FIELDS = 10; // MODES, then guest and guest_nice
  private static final int IDLE = 3;
  private static final int GUEST = 8;
  private static final int GUEST_NICE = 9;
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern CPU_DIR = Pattern.compile("cpu[0-9].*");

  private final Path stat;
  private final Path cpuDevices;
  private final boolean guest;
  private final List<String> isolated;
  /** Last exported values per CPU id, so counters never go backwards between scrapes. */
  private final Map<Long, double[]> exported = new HashMap<>();

  public CpuCollector(HostPaths paths, boolean guest) {
    this.stat = paths.proc("stat");
    this.cpuDevices = paths.sys("devices/system/cpu");
    this.guest = guest;
    this.isolated = readIsolated(cpuDevices.resolve("isolated"));
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    Family seconds = Family.counter("node_cpu_seconds_total",
        "Seconds the CPUs spent in each mode.", "cpu", "mode");
    Family guestSeconds = Family.counter("node_cpu_guest_seconds_total",
        "Seconds the CPUs spent in guests (VMs) for each mode.", "cpu", "mode");
    Map<Long, double[]> current = readStat();
    exported.keySet().retainAll(current.keySet());
    for (Map.Entry<Long, double[]> e : current.entrySet()) {
      double[] values = monotonic(e.getKey(), e.getValue());
      String cpu = Long.toString(e.getKey());
      for (int i = 0; i < MODES.length; i++) {
        seconds.add(values[i], cpu, MODES[i]);
      }
      if (guest) {
        // Guest time is also counted in user and nice; node_exporter exposes it separately.
        guestSeconds.add(values[GUEST], cpu, "user");
        guestSeconds.add(values[GUEST_NICE], cpu, "nice");
      }
    }
    seconds.addTo(out);
    guestSeconds.addTo(out);

    Family isolatedFamily = Family.gauge("node_cpu_isolated",
        "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.", "cpu");
    isolated.forEach(cpu -> isolatedFamily.add(1, cpu));
    isolatedFamily.addTo(out);

    collectThermalThrottle(out);
  }

  /** The per-CPU lines of /proc/stat in seconds, by CPU id; the aggregate "cpu" line is skipped. */
  private Map<Long, double[]> readStat() throws IOException {
    Map<Long, double[]> cpus = new LinkedHashMap<>();
    for (String line : ProcFiles.lines(stat)) {
      if (!line.startsWith("cpu")) {
        continue;
      }
      String[] f = BLANKS.split(line.trim());
      if (f.length < 2 || f[0].equals("cpu")) {
        continue;
      }
      long id;
      double[] values = new double[FIELDS];
      try {
        id = Long.parseLong(f[0].substring(3));
        // Older kernels have fewer columns; the missing ones stay 0 as in node_exporter.
        for (int i = 1; i < f.length && i <= FIELDS; i++) {
          values[i - 1] = Double.parseDouble(f[i]) / USER_HZ;
        }
      } catch (NumberFormatException e) {
        throw new IOException("unparsable cpu line in " + stat + ": " + line, e);
      }
      cpus.put(id, values);
    }
    return cpus;
  }

  private double[] monotonic(long cpu, double[] now) {
    double[] last = exported.get(cpu);
    if (last == null || last[IDLE] - now[IDLE] >= JUMP_BACK_SECONDS) {
      exported.put(cpu, now);
      return now;
    }
    for (int i = 0; i < FIELDS; i++) {
      last[i] = Math.max(last[i], now[i]);
    }
    return last;
  }

  private void collectThermalThrottle(List<MetricSnapshot> out) throws IOException {
    Map<Long, Long> packageThrottles = new TreeMap<>();
    Map<Long, Map<Long, Long>> coreThrottles = new TreeMap<>();
    for (Path cpu : cpuDirectories()) {
      Path throttle = cpu.resolve("thermal_throttle");
      // Checked first so that hosts without it (VMs, most non-Intel) cost one stat per CPU.
      if (!Files.isDirectory(throttle)) {
        continue;
      }
      Long pkg = readUint(cpu.resolve("topology/physical_package_id"));
      Long core = readUint(cpu.resolve("topology/core_id"));
      if (pkg == null || core == null) {
        continue;
      }
      Map<Long, Long> cores = coreThrottles.computeIfAbsent(pkg, k -> new TreeMap<>());
      if (!cores.containsKey(core)) {
        Long count = readUint(throttle.resolve("core_throttle_count"));
        if (count != null) {
          cores.put(core, count);
        }
      }
      if (!packageThrottles.containsKey(pkg)) {
        Long count = readUint(throttle.resolve("package_throttle_count"));
        if (count != null) {
          packageThrottles.put(pkg, count);
        }
      }
    }
    Family packages = Family.counter("node_cpu_package_throttles_total",
        "Number of times this CPU package has been throttled.", "package");
    packageThrottles.forEach((pkg, count) -> packages.add(count, Long.toString(pkg)));
    packages.addTo(out);
    Family cores = Family.counter("node_cpu_core_throttles_total",
        "Number of times this CPU core has been throttled.", "package", "core");
    coreThrottles.forEach((pkg, byCore) -> byCore.forEach(
        (core, count) -> cores.add(count, Long.toString(pkg), Long.toString(core))));
    cores.addTo(out);
  }

  private List<Path> cpuDirectories() throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cpuDevices,
        p -> CPU_DIR.matcher(p.getFileName().toString()).matches())) {
      entries.forEach(dirs::add);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    // Name order, as Go's filepath.Glob: it decides which CPU of a package supplies its count.
    dirs.sort(null);
    return dirs;
  }

  /** A sysfs number, or null where node_exporter skips the value (missing or unreadable file). */
  private static Long readUint(Path file) {
    try {
      return Long.parseUnsignedLong(ProcFiles.readTrimmed(file));
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** The CPU list in {@code isolated} ("1,3-5"); empty if the kernel has no such file. */
  private static List<String> readIsolated(Path file) {
    String content;
    try {
      content = ProcFiles.readTrimmed(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("unable to read isolated CPUs from " + file, e);
    }
    List<String> cpus = new ArrayList<>();
    for (String part : content.split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        int dash = part.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
        for (int cpu = first; cpu <= last; cpu++) {
          cpus.add(Integer.toString(cpu));
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid CPU range '" + part + "' in " + file, e);
      }
    }
    return List.copyOf(cpus);
  }
}
