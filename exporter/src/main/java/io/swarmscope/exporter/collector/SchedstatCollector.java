package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code schedstat} collector: per-CPU time running, time waiting for the CPU and
 * timeslices from {@code /proc/schedstat}. Only the {@code cpuN} lines count; their 7th to 9th
 * values are the run time and wait time in nanoseconds and the timeslice count (schedstat
 * version 15 and later). A kernel without {@code CONFIG_SCHEDSTATS} has no file: no data.
 */
public final class SchedstatCollector implements Collector {

  /** procfs's pattern: a line that does not match it (domain lines, headers) is skipped. */
  private static final Pattern CPU_LINE = Pattern.compile(
      "cpu(\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)");

  private final Path file;

  public SchedstatCollector(HostPaths paths) {
    this.file = paths.proc("schedstat");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String content;
    try {
      content = ProcFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new NoDataException("schedstat file does not exist", e);
    }
    Family running = Family.counter("node_schedstat_running_seconds_total",
        "Number of seconds CPU spent running a process.", "cpu");
    Family waiting = Family.counter("node_schedstat_waiting_seconds_total",
        "Number of seconds spent by processing waiting for this CPU.", "cpu");
    Family timeslices = Family.counter("node_schedstat_timeslices_total",
        "Number of timeslices executed by CPU.", "cpu");
    for (String line : content.lines().toList()) {
      Matcher m = CPU_LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      String cpu = m.group(1);
      try {
        running.add(ProcFiles.unsigned(m.group(8)) / 1e9, cpu);
        waiting.add(ProcFiles.unsigned(m.group(9)) / 1e9, cpu);
        timeslices.add(ProcFiles.unsigned(m.group(10)), cpu);
      } catch (NumberFormatException e) {
        throw new IOException("value out of range in " + file + ": " + line, e);
      }
    }
    running.addTo(out);
    waiting.addTo(out);
    timeslices.addTo(out);
  }
}
