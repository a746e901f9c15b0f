package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostNetFiles;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code conntrack} collector: the connection-tracking table's size and limit, and
 * the {@code node_nf_conntrack_stat_*} counters summed over all CPUs, for the host's network
 * namespace.
 *
 * <p>The table and its statistics are per network namespace, and both node_exporter sources for
 * them are the reader's own: {@code /proc/sys/net/netfilter/nf_conntrack_count} and
 * {@code /proc/net/stat/nf_conntrack}, which in the exporter's container are the container's
 * (a handful of entries). So the statistics come from PID 1's {@code net/stat/nf_conntrack} (see
 * {@link HostNetFiles}), and the entry count from its {@code entries} column, which the kernel
 * prints from the same counter as {@code nf_conntrack_count} (on a host the two are equal). The
 * limit, {@code nf_conntrack_max}, is one value for all namespaces.
 *
 * <p>Matches node_exporter 1.5 in three deliberate ways: the stat series are gauges, columns are
 * taken by position (not by the header, whose names changed across kernels) and 16 or 17 columns
 * are accepted; and a missing max file (nf_conntrack not loaded) is
 * {@link NoDataException} while a missing stat file is an error.
 */
public final class ConntrackCollector implements Collector {

  private static final Pattern BLANKS = Pattern.compile("\\s+");

  /** Exported stat columns: metric suffix, position in the per-CPU line, help text. */
  private record StatColumn(String name, int position, String help) {}

  private static final List<StatColumn> STATS = List.of(
      new StatColumn("found", 2, "Number of searched entries which were successful."),
      new StatColumn("invalid", 4, "Number of packets seen which can not be tracked."),
      new StatColumn("ignore", 5,
          "Number of packets seen which are already connected to a conntrack entry."),
      new StatColumn("insert", 8, "Number of entries inserted into the list."),
      new StatColumn("insert_failed", 9,
          "Number of entries for which list insertion was attempted but failed."),
      new StatColumn("drop", 10, "Number of packets dropped due to conntrack failure."),
      new StatColumn("early_drop", 11, "Number of dropped conntrack entries to make room for new "
          + "ones, if maximum table size was reached."),
      // Absent before Linux 2.6.35 (16 columns); then it stays 0.
      new StatColumn("search_restart", 16, "Number of conntrack table lookups which had to be "
          + "restarted due to hashtable resizes."));

  private static final String STAT = "stat/nf_conntrack";

  private final Path max;
  private final HostNetFiles net;

  public ConntrackCollector(HostPaths paths) {
    this.max = paths.proc("sys/net/netfilter/nf_conntrack_max");
    this.net = new HostNetFiles(paths);
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    long limit = readTableSize(max);
    long[] sums = new long[STATS.size()];
    long entries = sumStatColumns(sums);
    List<MetricSnapshot> built = new ArrayList<>(2 + STATS.size());
    built.add(Family.gauge("node_nf_conntrack_entries",
        "Number of currently allocated flow entries for connection tracking.").add(entries).build());
    built.add(Family.gauge("node_nf_conntrack_entries_limit",
        "Maximum size of connection tracking table.").add(limit).build());
    for (int i = 0; i < STATS.size(); i++) {
      StatColumn column = STATS.get(i);
      built.add(Family.gauge("node_nf_conntrack_stat_" + column.name(), column.help())
          .add(sums[i]).build());
    }
    out.addAll(built);
  }

  private static long readTableSize(Path file) throws IOException {
    try {
      return Long.parseUnsignedLong(ProcFiles.readTrimmed(file));
    } catch (NoSuchFileException e) {
      throw new NoDataException("conntrack probably not loaded: no " + file, e);
    } catch (NumberFormatException e) {
      throw new IOException("unparsable value in " + file, e);
    }
  }

  /**
   * Sums the exported columns over the per-CPU lines (the first line is the header) into
   * {@code sums}; returns the {@code entries} column, the same on every line.
   */
  private long sumStatColumns(long[] sums) throws IOException {
    List<String> lines = net.read(STAT).lines().toList();
    String stat = "net/" + STAT;
    if (lines.size() < 2) {
      throw new IOException("no per-CPU lines in " + stat);
    }
    long entries;
    try {
      entries = Long.parseUnsignedLong(BLANKS.split(lines.get(1).trim())[0], 16);
    } catch (NumberFormatException e) {
      throw new IOException("unparsable entries in " + stat + ": " + lines.get(1), e);
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] f = BLANKS.split(line.trim());
      if (f.length < 16 || f.length > 17) {
        throw new IOException("invalid number of fields (" + f.length + ") in " + stat + ": " + line);
      }
      for (int i = 0; i < STATS.size(); i++) {
        int position = STATS.get(i).position();
        if (position < f.length) {
          try {
            sums[i] += Long.parseUnsignedLong(f[position], 16);
          } catch (NumberFormatException e) {
            throw new IOException("unparsable value in " + stat + ": " + line, e);
          }
        }
      }
    }
    return entries;
  }
}
