package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.swarm.SwarmManagerSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * {@code swarm_manager_*}: what this manager knows about the swarm's managers, exported by the
 * exporter on every manager, leader or not. A swarm that lost manager quorum has no leader, so
 * the leader-only {@code swarm_*} series vanish exactly then; these stay, and the quorum alert
 * counts the managers whose exporters still answer. Exports nothing on workers. See
 * docs/swarm-metrics.md.
 */
public final class SwarmManagerCollector implements Collector {

  private final DockerView docker;

  public SwarmManagerCollector(DockerView docker) {
    this.docker = docker;
  }

  @Override
  public void collect(List<MetricSnapshot> out) {
    Optional<SwarmManagerSnapshot> manager = docker.manager();
    if (manager.isEmpty()) {
      return;
    }
    SwarmManagerSnapshot m = manager.get();
    out.add(Family.gauge("swarm_manager_raft_managers",
            "Managers in the Raft membership this manager knows (RemoteManagers), reachable or not;"
                + " known also when the swarm has no leader.")
        .add(m.raftManagers()).build());
    out.add(Family.gauge("swarm_manager_leader_reachable",
            "1 if this manager could read the node list, which the Raft leader answers; 0 if that"
                + " failed (no leader, e.g. quorum lost).")
        .add(m.leaderReachable() ? 1 : 0).build());
    if (m.leaderReachable()) {
      out.add(Family.gauge("swarm_manager_managers",
              "Managers in the node list, as read through this manager.")
          .add(m.managers()).build());
      out.add(Family.gauge("swarm_manager_reachable_managers",
              "Managers the Raft leader reports reachable, as read through this manager.")
          .add(m.reachableManagers()).build());
    }
    out.add(Family.gauge("swarm_manager_state_timestamp_seconds",
            "When this exporter last read this manager's Swarm state.")
        .add(m.takenAtMillis() / 1000.0).build());
  }
}
