package io.swarmscope.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.swarmscope.exporter.collector.Family;

/** {@code swarmscope_exporter_build_info{version,java_version}}, like node_exporter_build_info. */
final class BuildInfo implements MultiCollector {

  static String version() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public MetricSnapshots collect() {
    return MetricSnapshots.of(Family.gauge("swarmscope_exporter_build_info",
            "A metric with a constant '1' value labeled by version and Java runtime.",
            "version", "javaversion")
        .add(1, version(), Runtime.version().toString()).build());
  }
}
