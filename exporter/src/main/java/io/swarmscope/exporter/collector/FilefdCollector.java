package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * node_exporter's {@code filefd} collector: allocated and maximum file handles from
 * {@code /proc/sys/fs/file-nr} ({@code allocated<TAB>free<TAB>maximum}; the middle value has been
 * 0 since Linux 2.6 and is skipped).
 */
public final class FilefdCollector implements Collector {

  private final Path file;

  public FilefdCollector(HostPaths paths) {
    this.file = paths.proc("sys/fs/file-nr");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String[] parts = ProcFiles.readTrimmed(file).split("\t");
    if (parts.length < 3) {
      throw new IOException("unexpected number of file stats in " + file);
    }
    double allocated;
    double maximum;
    try {
      allocated = Double.parseDouble(parts[0]);
      maximum = Double.parseDouble(parts[2]);
    } catch (NumberFormatException e) {
      throw new IOException("invalid value in " + file, e);
    }
    out.add(Family.gauge("node_filefd_allocated", "File descriptor statistics: allocated.")
        .add(allocated).build());
    out.add(Family.gauge("node_filefd_maximum", "File descriptor statistics: maximum.")
        .add(maximum).build());
  }
}
