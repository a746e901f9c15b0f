package io.swarmscope.exporter.collector;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a collector's output as Prometheus text exposition, for golden comparisons. */
public final class Exposition {

  private Exposition() {}

  public static String text(Collector collector) {
    List<MetricSnapshot> out = new ArrayList<>();
    try {
      collector.collect(out);
    } catch (Exception e) {
      throw new AssertionError("collector failed", e);
    }
    return text(new MetricSnapshots(out));
  }

  public static String text(MetricSnapshots snapshots) {
    var bytes = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(bytes, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
