package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * node_exporter's {@code entropy} collector: the kernel's available entropy and pool size from
 * {@code /proc/sys/kernel/random/{entropy_avail,poolsize}}. Both files exist on every Linux, so a
 * missing one is an error, as in node_exporter 1.5, not "no data".
 */
public final class EntropyCollector implements Collector {

  private final Path available;
  private final Path poolSize;

  public EntropyCollector(HostPaths paths) {
    this.available = paths.proc("sys/kernel/random/entropy_avail");
    this.poolSize = paths.proc("sys/kernel/random/poolsize");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    double availableBits = read(available);
    double poolSizeBits = read(poolSize);
    out.add(Family.gauge("node_entropy_available_bits", "Bits of available entropy.")
        .add(availableBits).build());
    out.add(Family.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.")
        .add(poolSizeBits).build());
  }

  private static double read(Path file) throws IOException {
    try {
      return Long.parseUnsignedLong(ProcFiles.readTrimmed(file));
    } catch (NumberFormatException e) {
      throw new IOException("invalid value in " + file, e);
    }
  }
}
