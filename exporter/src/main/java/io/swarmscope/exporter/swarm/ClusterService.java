package io.swarmscope.exporter.swarm;

import java.util.List;

/**
 * A Swarm service as the cluster state needs it.
 *
 * @param stack {@code com.docker.stack.namespace}, empty outside a stack
 * @param mode {@code replicated}, {@code global} or {@code job} (jobs have no desired replicas)
 * @param replicas the spec's replica count (replicated mode only)
 * @param constraints placement constraints such as {@code node.role==manager}
 * @param updateState the last update's state ({@code updating}, {@code completed},
 *     {@code rollback_completed}, ...), {@code none} when never updated
 */
public record ClusterService(String id, String name, String stack, String mode, long replicas,
    List<String> constraints, String updateState) {

  public ClusterService {
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
  }
}
