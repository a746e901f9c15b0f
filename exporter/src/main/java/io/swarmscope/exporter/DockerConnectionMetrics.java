package io.swarmscope.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.swarmscope.exporter.collector.Family;
import io.swarmscope.exporter.docker.DockerConnection;
import io.swarmscope.exporter.docker.DockerView;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code swarmscope_docker_up} and {@code swarmscope_docker_last_resync_timestamp_seconds}: whether
 * the Docker-fed series (container metrics, node identity, Swarm state) are current. Absent when
 * Docker is disabled ({@code --docker.host=""}). A last resync older than a few resync intervals
 * (60 s) while up is 1 means the watcher is stuck.
 */
final class DockerConnectionMetrics implements MultiCollector {

  private final DockerView docker;

  DockerConnectionMetrics(DockerView docker) {
    this.docker = docker;
  }

  @Override
  public MetricSnapshots collect() {
    var connection = docker.connection();
    if (connection.isEmpty()) {
      return MetricSnapshots.of();
    }
    DockerConnection c = connection.get();
    List<MetricSnapshot> out = new ArrayList<>();
    Family.gauge("swarmscope_docker_up",
            "Whether the exporter is connected to the Docker engine (event stream up, last resync done).")
        .add(c.up() ? 1 : 0).addTo(out);
    if (c.lastResyncMillis() > 0) {
      Family.gauge("swarmscope_docker_last_resync_timestamp_seconds",
              "When the exporter last reread the engine's container list in full, in seconds since the epoch.")
          .add(c.lastResyncMillis() / 1000.0).addTo(out);
    }
    return new MetricSnapshots(out);
  }
}
