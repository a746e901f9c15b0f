package io.swarmscope.exporter.swarm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the leader's exporter last saw it: every node, and per service its desired and
 * running replicas and its tasks counted by state. Immutable; built off the scrape path.
 *
 * @param takenAtMillis when the state was read, epoch milliseconds
 */
public record SwarmClusterSnapshot(List<ClusterNode> nodes, List<ServiceState> services, long takenAtMillis) {

  /** Every Swarm task state, in lifecycle order: each service exports a count for each. */
  public static final List<String> TASK_STATES = List.of("new", "allocated", "pending", "assigned",
      "accepted", "preparing", "ready", "starting", "running", "complete", "shutdown", "failed",
      "rejected", "remove", "orphaned");

  /**
   * One service's numbers.
   *
   * @param desired replicated: the spec's replicas; global: schedulable nodes that satisfy the
   *     placement constraints
   * @param running tasks observed running
   * @param tasksByState task counts per {@link #TASK_STATES} entry (all present, zeros included)
   */
  public record ServiceState(ClusterService service, long desired, long running,
      Map<String, Long> tasksByState) {

    public ServiceState {
      tasksByState = Map.copyOf(tasksByState);
    }
  }

  public SwarmClusterSnapshot {
    nodes = List.copyOf(nodes);
    services = List.copyOf(services);
  }

  /** Computes the per-service numbers from the raw lists. */
  public static SwarmClusterSnapshot of(List<ClusterNode> nodes, List<ClusterService> services,
      List<ClusterTask> tasks, long takenAtMillis) {
    Map<String, Map<String, Long>> byService = new HashMap<>();
    for (ClusterTask t : tasks) {
      byService.computeIfAbsent(t.serviceId(), id -> new HashMap<>()).merge(t.state(), 1L, Long::sum);
    }
    List<ServiceState> states = new ArrayList<>(services.size());
    for (ClusterService s : services) {
      Map<String, Long> counts = byService.getOrDefault(s.id(), Map.of());
      Map<String, Long> all = new HashMap<>();
      for (String state : TASK_STATES) {
        all.put(state, counts.getOrDefault(state, 0L));
      }
      long desired = switch (s.mode()) {
        case "replicated" -> s.replicas();
        case "global" -> nodes.stream()
            .filter(n -> n.schedulable() && PlacementConstraints.matches(s.constraints(), n)).count();
        default -> 0;
      };
      states.add(new ServiceState(s, desired, all.get("running"), all));
    }
    return new SwarmClusterSnapshot(nodes, states, takenAtMillis);
  }
}
