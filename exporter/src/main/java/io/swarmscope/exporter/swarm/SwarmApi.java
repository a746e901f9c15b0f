package io.swarmscope.exporter.swarm;

import java.util.List;

/** The manager-side Swarm calls the cluster state is built from; implemented over docker-java. */
public interface SwarmApi {

  /**
   * What this engine says about itself and the swarm in {@code /info}. A manager answers this also
   * when the swarm has no leader (quorum lost): then {@code error} is set and {@code managers} is 0,
   * but {@code raftManagers} still lists the Raft membership this node knows.
   *
   * @param nodeId this node's id, empty outside a swarm
   * @param manager {@code Swarm.ControlAvailable}: this engine is a manager
   * @param managers {@code Swarm.Managers}: managers in the node list, 0 when the list failed
   * @param raftManagers size of {@code Swarm.RemoteManagers}: the managers in the Raft membership,
   *     reachable or not
   * @param error {@code Swarm.Error}, empty when there is none (e.g. "The swarm does not have a
   *     leader ..." or "context deadline exceeded" without quorum)
   */
  record Self(String nodeId, boolean manager, int managers, int raftManagers, String error) {

    public Self {
      error = error == null ? "" : error;
    }

    /** A node that is not a manager (or not in a swarm). */
    public static Self worker(String nodeId) {
      return new Self(nodeId, false, 0, 0, "");
    }
  }

  Self self();

  List<ClusterNode> nodes();

  List<ClusterService> services();

  List<ClusterTask> tasks();
}
