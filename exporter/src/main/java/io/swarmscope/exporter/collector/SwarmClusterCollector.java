package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.swarm.ClusterNode;
import io.swarmscope.exporter.swarm.ClusterService;
import io.swarmscope.exporter.swarm.SwarmClusterSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * {@code swarm_*}: the Swarm cluster state (nodes, desired vs running replicas, tasks by state,
 * update state), exported only by the exporter on the current leader so each series exists once
 * per cluster. Renders the snapshot a background watcher keeps: work per scrape is bounded by the
 * number of nodes and services, never by a Docker call. See docs/swarm-metrics.md.
 */
public final class SwarmClusterCollector implements Collector {

  private static final String[] SERVICE_LABELS = {"service_id", "service", "stack", "mode"};

  private final DockerView docker;

  public SwarmClusterCollector(DockerView docker) {
    this.docker = docker;
  }

  @Override
  public void collect(List<MetricSnapshot> out) {
    Optional<SwarmClusterSnapshot> cluster = docker.cluster();
    if (cluster.isEmpty()) {
      return;
    }
    SwarmClusterSnapshot c = cluster.get();
    Family nodeInfo = Family.gauge("swarm_node_info",
        "Swarm node: constant 1 labelled with hostname, role, availability, status, engine version"
            + " and whether it leads.",
        "node_id", "hostname", "role", "availability", "status", "engine_version", "leader");
    for (ClusterNode n : c.nodes()) {
      nodeInfo.add(1, n.id(), n.hostname(), n.role(), n.availability(), n.status(),
          n.engineVersion(), Boolean.toString(n.leader()));
    }
    Family desired = Family.gauge("swarm_service_replicas_desired",
        "Tasks the service should run: the spec's replicas, or for global services the eligible nodes.",
        SERVICE_LABELS);
    Family running = Family.gauge("swarm_service_replicas_running",
        "Tasks of the service observed running.", SERVICE_LABELS);
    Family tasks = Family.gauge("swarm_service_tasks",
        "Tasks of the service (history included) by current Swarm task state.",
        "service_id", "service", "stack", "mode", "state");
    Family update = Family.gauge("swarm_service_update_state",
        "Constant 1 labelled with the state of the service's last update or rollback (none if never updated).",
        "service_id", "service", "stack", "mode", "state");
    for (SwarmClusterSnapshot.ServiceState s : c.services()) {
      ClusterService svc = s.service();
      desired.add(s.desired(), svc.id(), svc.name(), svc.stack(), svc.mode());
      running.add(s.running(), svc.id(), svc.name(), svc.stack(), svc.mode());
      for (String state : SwarmClusterSnapshot.TASK_STATES) {
        tasks.add(s.tasksByState().get(state), svc.id(), svc.name(), svc.stack(), svc.mode(), state);
      }
      update.add(1, svc.id(), svc.name(), svc.stack(), svc.mode(), svc.updateState());
    }
    nodeInfo.addTo(out);
    desired.addTo(out);
    running.addTo(out);
    tasks.addTo(out);
    update.addTo(out);
    out.add(Family.gauge("swarm_cluster_state_timestamp_seconds",
        "When this exporter last read the cluster state from the leader engine.")
        .add(c.takenAtMillis() / 1000.0).build());
  }
}
