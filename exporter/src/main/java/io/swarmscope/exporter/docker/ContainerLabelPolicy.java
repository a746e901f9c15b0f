package io.swarmscope.exporter.docker;

import io.swarmscope.common.docker.ContainerIdentity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which Docker labels become {@code container_label_*} Prometheus labels: always the Swarm and
 * stack identity, plus an explicit allow-list ({@code --collector.container.labels=a,b}). Never
 * every label, because arbitrary labels multiply series (cardinality).
 *
 * @param keys the Docker label keys exported, in a fixed order
 */
public record ContainerLabelPolicy(List<String> keys) {

  /** The option naming extra labels, comma-separated. */
  public static final String OPTION = "collector.container.labels";

  /** Swarm and stack labels, exported for every container that has them. */
  public static final List<String> SWARM_KEYS = List.of(
      ContainerIdentity.SERVICE_NAME, ContainerIdentity.SERVICE_ID, ContainerIdentity.TASK_NAME,
      ContainerIdentity.TASK_ID, ContainerIdentity.NODE_ID, ContainerIdentity.STACK_NAMESPACE);

  public ContainerLabelPolicy {
    keys = List.copyOf(keys);
  }

  /** The Swarm keys plus the comma-separated {@code allowList} (blank entries ignored). */
  public static ContainerLabelPolicy of(String allowList) {
    Set<String> keys = new LinkedHashSet<>(SWARM_KEYS);
    for (String k : allowList.split(",")) {
      if (!k.isBlank()) {
        keys.add(k.trim());
      }
    }
    return new ContainerLabelPolicy(new ArrayList<>(keys));
  }

  public boolean keeps(String dockerLabel) {
    return keys.contains(dockerLabel);
  }
}
