package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code node_load1/5/15} from {@code /proc/loadavg}. */
public final class LoadavgCollector implements Collector {

  private final Path file;

  public LoadavgCollector(HostPaths paths) {
    this.file = paths.proc("loadavg");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String[] f = ProcFiles.fields(ProcFiles.read(file));
    if (f.length < 3) {
      throw new IOException("unexpected content in " + file);
    }
    String[] periods = {"1", "5", "15"};
    for (int i = 0; i < 3; i++) {
      out.add(Family.gauge("node_load" + periods[i], periods[i] + "m load average.")
          .add(Double.parseDouble(f[i])).build());
    }
  }
}
