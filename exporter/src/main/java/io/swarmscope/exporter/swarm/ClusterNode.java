package io.swarmscope.exporter.swarm;

import java.util.Map;

/**
 * A Swarm node as the cluster state needs it.
 *
 * @param role {@code manager} or {@code worker}
 * @param availability {@code active}, {@code pause} or {@code drain}
 * @param status {@code ready}, {@code down}, {@code disconnected} or {@code unknown}
 * @param leader whether this node is the Raft leader
 * @param reachability a manager's Raft reachability as the leader sees it ({@code reachable},
 *     {@code unreachable}, {@code unknown}); empty for workers
 * @param labels node labels ({@code node.labels.*} in constraints)
 * @param engineLabels engine labels ({@code engine.labels.*})
 */
public record ClusterNode(String id, String hostname, String role, String availability, String status,
    String engineVersion, boolean leader, String reachability, Map<String, String> labels,
    Map<String, String> engineLabels, String os, String arch) {

  public ClusterNode {
    reachability = reachability == null ? "" : reachability;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    engineLabels = engineLabels == null ? Map.of() : Map.copyOf(engineLabels);
  }

  /** Whether this is a manager the leader can reach over Raft. */
  public boolean reachableManager() {
    return reachability.equals("reachable");
  }

  /** Whether the scheduler may place new tasks here. */
  public boolean schedulable() {
    return status.equals("ready") && availability.equals("active");
  }
}
