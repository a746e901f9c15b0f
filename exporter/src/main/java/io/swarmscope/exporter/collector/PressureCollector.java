package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code pressure} collector: total stall times from {@code /proc/pressure/{cpu,io,memory}}
 * (pressure stall information, Linux 4.20+ with PSI enabled), in seconds. As in node_exporter 1.5,
 * cpu exports only its "some" line; io and memory export "some" (waiting) and "full" (stalled).
 *
 * <p>A kernel without PSI (missing files) or booted with {@code psi=0} (reads fail with "Operation
 * not supported") is reported as {@link NoDataException}, node_exporter's {@code ErrNoData}.
 */
public final class PressureCollector implements Collector {

  /** One line as the kernel prints it; unknown prefixes are skipped like node_exporter does. */
  private static final Pattern LINE = Pattern.compile(
      "(some|full) avg10=[0-9.]+ avg60=[0-9.]+ avg300=[0-9.]+ total=([0-9]+)");
  private static final int SOME = 0;
  private static final int FULL = 1;

  private final Path cpu;
  private final Path io;
  private final Path memory;

  public PressureCollector(HostPaths paths) {
    this.cpu = paths.proc("pressure/cpu");
    this.io = paths.proc("pressure/io");
    this.memory = paths.proc("pressure/memory");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    double[] cpuTotals = totals(cpu);
    double[] ioTotals = totals(io);
    double[] memoryTotals = totals(memory);
    // Built completely before anything is added, so a failure leaves no partial output.
    out.addAll(List.of(
        counter("node_pressure_cpu_waiting_seconds_total",
            "Total time in seconds that processes have waited for CPU time",
            cpu, cpuTotals, SOME),
        counter("node_pressure_io_waiting_seconds_total",
            "Total time in seconds that processes have waited due to IO congestion",
            io, ioTotals, SOME),
        counter("node_pressure_io_stalled_seconds_total",
            "Total time in seconds no process could make progress due to IO congestion",
            io, ioTotals, FULL),
        counter("node_pressure_memory_waiting_seconds_total",
            "Total time in seconds that processes have waited for memory",
            memory, memoryTotals, SOME),
        counter("node_pressure_memory_stalled_seconds_total",
            "Total time in seconds no process could make progress due to memory congestion",
            memory, memoryTotals, FULL)));
  }

  /** The "some" and "full" totals of one file in seconds; NaN where the line is absent. */
  private static double[] totals(Path file) throws IOException {
    String content;
    try {
      content = ProcFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new NoDataException("pressure information is unavailable, you need a Linux kernel >= 4.20"
          + " and/or CONFIG_PSI enabled for your kernel", e);
    } catch (FileSystemException e) {
      if ("Operation not supported".equals(e.getReason())) {
        throw new NoDataException(
            "pressure information is disabled, add psi=1 kernel command line to enable it", e);
      }
      throw e;
    }
    double[] totals = {Double.NaN, Double.NaN};
    for (String line : content.lines().toList()) {
      boolean some = line.startsWith("some ");
      if (!some && !line.startsWith("full ")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.lookingAt()) {
        throw new IOException("unparsable line in " + file + ": " + line);
      }
      // Microseconds; divided twice as node_exporter does, so the doubles match to the last bit.
      totals[some ? SOME : FULL] = Long.parseUnsignedLong(m.group(2)) / 1000.0 / 1000.0;
    }
    return totals;
  }

  private static MetricSnapshot counter(String name, String help, Path file, double[] totals,
      int index) throws IOException {
    if (Double.isNaN(totals[index])) {
      throw new IOException("no \"" + (index == SOME ? "some" : "full") + "\" line in " + file);
    }
    return Family.counter(name, help).add(totals[index]).build();
  }
}
