package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code vmstat} collector: {@code node_vmstat_<field>} (untyped) for each
 * {@code /proc/vmstat} field whose name the {@code --collector.vmstat.fields} regular expression
 * finds (unanchored, as Go's {@code MatchString}).
 *
 * <p>As in node_exporter, every line's value must parse, including lines that are filtered out.
 */
public final class VmstatCollector implements Collector {

  /** node_exporter 1.5's default for {@code --collector.vmstat.fields}. */
  public static final String DEFAULT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";

  private final Path file;
  private final Pattern fields;

  public VmstatCollector(HostPaths paths, String fieldsRegex) {
    this.file = paths.proc("vmstat");
    this.fields = Pattern.compile(fieldsRegex);
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    for (String line : ProcFiles.lines(file)) {
      int blank = line.indexOf(' ');
      if (blank <= 0) {
        throw new IOException("unexpected line in " + file + ": " + line);
      }
      String name = line.substring(0, blank);
      double value;
      try {
        value = Double.parseDouble(line.substring(blank + 1).trim());
      } catch (NumberFormatException e) {
        throw new IOException("unparsable value in " + file + ": " + line, e);
      }
      if (fields.matcher(name).find()) {
        out.add(Family.untyped("node_vmstat_" + name, "/proc/vmstat information field " + name + ".")
            .add(value).build());
      }
    }
  }
}
