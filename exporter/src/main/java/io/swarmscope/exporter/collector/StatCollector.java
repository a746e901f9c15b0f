package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * node_exporter's {@code stat} collector: boot time, context switches, forks, interrupts and the
 * running/blocked process counts from the keyed lines of {@code /proc/stat}. A key the kernel does
 * not print is exported as 0, as node_exporter does.
 *
 * <p>Only the first value of each line is parsed: the {@code intr} line carries hundreds of
 * per-IRQ counts that this collector does not export.
 */
public final class StatCollector implements Collector {

  private final Path file;

  public StatCollector(HostPaths paths) {
    this.file = paths.proc("stat");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    long btime = 0;
    long intr = 0;
    long ctxt = 0;
    long processes = 0;
    long running = 0;
    long blocked = 0;
    for (String line : ProcFiles.lines(file)) {
      int keyEnd = line.indexOf(' ');
      if (keyEnd <= 0 || line.startsWith("cpu")) {
        continue;
      }
      switch (line.substring(0, keyEnd)) {
        case "btime" -> btime = firstValue(line, keyEnd);
        case "intr" -> intr = firstValue(line, keyEnd);
        case "ctxt" -> ctxt = firstValue(line, keyEnd);
        case "processes" -> processes = firstValue(line, keyEnd);
        case "procs_running" -> running = firstValue(line, keyEnd);
        case "procs_blocked" -> blocked = firstValue(line, keyEnd);
        default -> { }
      }
    }
    out.add(Family.gauge("node_boot_time_seconds", "Node boot time, in unixtime.")
        .add(btime).build());
    out.add(Family.counter("node_context_switches_total", "Total number of context switches.")
        .add(ctxt).build());
    out.add(Family.counter("node_forks_total", "Total number of forks.")
        .add(processes).build());
    out.add(Family.counter("node_intr_total", "Total number of interrupts serviced.")
        .add(intr).build());
    out.add(Family.gauge("node_procs_running", "Number of processes in runnable state.")
        .add(running).build());
    out.add(Family.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.")
        .add(blocked).build());
  }

  /** The unsigned number after the key, up to the next blank or the end of the line. */
  private long firstValue(String line, int keyEnd) throws IOException {
    int start = keyEnd;
    while (start < line.length() && line.charAt(start) == ' ') {
      start++;
    }
    int end = line.indexOf(' ', start);
    String value = line.substring(start, end < 0 ? line.length() : end);
    try {
      return Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("unparsable value in " + file + ": " + line, e);
    }
  }
}
