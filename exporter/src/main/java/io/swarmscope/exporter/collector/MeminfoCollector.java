package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code node_memory_*} from {@code /proc/meminfo}, named as node_exporter names them:
 * {@code Active(anon)} becomes {@code node_memory_Active_anon_bytes}; fields given in kB are
 * converted to bytes and get {@code _bytes}; unitless counts (HugePages_Total) keep the bare name.
 */
public final class MeminfoCollector implements Collector {

  private final Path file;

  public MeminfoCollector(HostPaths paths) {
    this.file = paths.proc("meminfo");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    for (String line : ProcFiles.lines(file)) {
      String[] f = ProcFiles.fields(line);
      if (f.length < 2 || !f[0].endsWith(":")) {
        continue;
      }
      String key = f[0].substring(0, f[0].length() - 1).replace("(", "_").replace(")", "");
      double value = Double.parseDouble(f[1]);
      String name = "node_memory_" + key;
      if (f.length == 3 && f[2].equals("kB")) {
        value *= 1024;
        name += "_bytes";
      }
      out.add(Family.gauge(name, "Memory information field " + key + ".").add(value).build());
    }
  }
}
