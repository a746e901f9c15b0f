package io.swarmscope.shipper.docker;

import io.swarmscope.common.docker.ContainerIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which containers' logs are shipped. A container opts out with the label
 * {@code io.swarmscope.logs=false} (or {@code io.swarmscope.logs.exclude=true}), or with the
 * environment variable {@code LOGSPOUT=ignore} that logspout users already set. When include lists
 * are given, a container must match one of them (service, stack, or label {@code key} /
 * {@code key=value}). The shipper's own container is skipped unless asked.
 *
 * @param services Swarm service names to include (empty: all)
 * @param stacks stack names to include (empty: all)
 * @param labels labels ({@code key} or {@code key=value}) to include (empty: all)
 * @param excludeLabels labels whose presence (or value) excludes a container
 * @param ownContainerId this shipper's own container id, empty when not in a container
 * @param shipOwnLogs whether to ship the shipper's own logs
 */
public record ContainerFilter(Set<String> services, Set<String> stacks, List<String> labels,
    List<String> excludeLabels, String ownContainerId, boolean shipOwnLogs) {

  public static final String OPT_OUT_LABEL = "io.swarmscope.logs";
  public static final String EXCLUDE_LABEL = "io.swarmscope.logs.exclude";

  public ContainerFilter {
    services = Set.copyOf(services);
    stacks = Set.copyOf(stacks);
    labels = List.copyOf(labels);
    excludeLabels = List.copyOf(excludeLabels);
    ownContainerId = ownContainerId == null ? "" : ownContainerId;
  }

  public static ContainerFilter all() {
    return new ContainerFilter(Set.of(), Set.of(), List.of(), List.of(), "", false);
  }

  /** Null when the container is shipped, else why not (for the log line). */
  public String excludedBecause(ContainerIdentity c, List<String> env) {
    if (!shipOwnLogs && !ownContainerId.isEmpty() && c.id().startsWith(ownContainerId)) {
      return "it is the shipper itself";
    }
    Map<String, String> l = c.labels();
    if ("false".equalsIgnoreCase(l.get(OPT_OUT_LABEL)) || "true".equalsIgnoreCase(l.get(EXCLUDE_LABEL))) {
      return "label " + OPT_OUT_LABEL + "=false";
    }
    if (env != null && env.contains("LOGSPOUT=ignore")) {
      return "env LOGSPOUT=ignore";
    }
    for (String ex : excludeLabels) {
      if (matches(l, ex)) {
        return "excluded label " + ex;
      }
    }
    boolean anyInclude = !services.isEmpty() || !stacks.isEmpty() || !labels.isEmpty();
    if (!anyInclude) {
      return null;
    }
    if (services.contains(c.serviceName()) || stacks.contains(c.stack())) {
      return null;
    }
    for (String in : labels) {
      if (matches(l, in)) {
        return null;
      }
    }
    return "not in the include filters";
  }

  private static boolean matches(Map<String, String> labels, String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      return labels.containsKey(spec);
    }
    return spec.substring(eq + 1).equals(labels.get(spec.substring(0, eq)));
  }
}
