package io.swarmscope.exporter.swarm;

import java.util.List;

/**
 * What one manager knows about its managers, read on every manager (not only the leader), so that
 * manager quorum can be judged also when the swarm has no leader and the node list fails.
 *
 * @param raftManagers managers in the Raft membership this node knows ({@code RemoteManagers}),
 *     reachable or not; known also without a leader
 * @param leaderReachable whether the node list, which the leader answers, could be read
 * @param managers managers in the node list; 0 when {@code leaderReachable} is false
 * @param reachableManagers managers the leader reports reachable; 0 when {@code leaderReachable}
 *     is false
 * @param takenAtMillis when {@code /info} was read, epoch milliseconds
 */
public record SwarmManagerSnapshot(int raftManagers, boolean leaderReachable, int managers,
    int reachableManagers, long takenAtMillis) {

  /** A manager whose node list was read. */
  public static SwarmManagerSnapshot withLeader(SwarmApi.Self self, List<ClusterNode> nodes,
      long takenAtMillis) {
    int managers = 0;
    int reachable = 0;
    for (ClusterNode n : nodes) {
      if (n.role().equals("manager")) {
        managers++;
        if (n.reachableManager()) {
          reachable++;
        }
      }
    }
    return new SwarmManagerSnapshot(self.raftManagers(), true, managers, reachable, takenAtMillis);
  }

  /** A manager whose node list failed: only its own {@code /info} is known. */
  public static SwarmManagerSnapshot withoutLeader(SwarmApi.Self self, long takenAtMillis) {
    return new SwarmManagerSnapshot(self.raftManagers(), false, 0, 0, takenAtMillis);
  }
}
