package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.exporter.docker.DockerView;
import java.util.List;
import java.util.Optional;

/**
 * {@code node_meta{node_id, node_name, container_label_com_docker_swarm_node_id} 1}: the series
 * swarmprom's dashboards join host metrics on to name the Swarm node. Reads the engine identity a
 * background watcher keeps; exports nothing while Docker is disabled or unreachable.
 */
public final class SwarmIdentityCollector implements Collector {

  static final String NODE_META = "node_meta";

  private final DockerView docker;

  public SwarmIdentityCollector(DockerView docker) {
    this.docker = docker;
  }

  @Override
  public void collect(List<MetricSnapshot> out) {
    Optional<EngineIdentity> engine = docker.engine();
    if (engine.isEmpty()) {
      return;
    }
    EngineIdentity e = engine.get();
    out.add(Family.gauge(NODE_META,
            "Swarm identity of this node: constant 1 labelled with the node id and name.",
            "node_id", "node_name", "container_label_com_docker_swarm_node_id")
        .add(1, e.nodeId(), e.nodeName(), e.nodeId()).build());
  }
}
