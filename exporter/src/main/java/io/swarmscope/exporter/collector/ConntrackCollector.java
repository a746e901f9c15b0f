package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code conntrack} collector: the connection-tracking table's size and limit from
 * {@code /proc/sys/net/netfilter/nf_conntrack_{count,max}}, and the {@code node_nf_conntrack_stat_*}
 * counters from {@code /proc/net/stat/nf_conntrack} summed over all CPUs.
 *
 * <p>Matches node_exporter 1.5 in three deliberate ways: the stat series are gauges, columns are
 * taken by position (not by the header, whose names changed across kernels) and 16 or 17 columns
 * are accepted; and a missing count or max file (nf_conntrack not loaded) is
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

  private final Path count;
  private final Path max;
  private final Path stat;

  public ConntrackCollector(HostPaths paths) {
    this.count = paths.proc("sys/net/netfilter/nf_conntrack_count");
    this.max = paths.proc("sys/net/netfilter/nf_conntrack_max");
    this.stat = paths.proc("net/stat/nf_conntrack");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    long entries = readTableSize(count);
    long limit = readTableSize(max);
    long[] sums = sumStatColumns();
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

  /** The exported columns summed over the per-CPU lines; the first line is the header. */
  private long[] sumStatColumns() throws IOException {
    long[] sums = new long[STATS.size()];
    List<String> lines = ProcFiles.lines(stat);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
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
    return sums;
  }
}
