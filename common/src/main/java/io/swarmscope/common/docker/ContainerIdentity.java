package io.swarmscope.common.docker;

import java.util.Map;

/**
 * Who a container is, as both the exporter's labels and the shipper's log events name it: the
 * Docker id, name and image, and the Swarm identity Docker puts in its labels.
 *
 * @param id full 64-character container id
 * @param name container name without the leading slash
 * @param image image reference as the container was created with
 * @param labels all container labels (callers choose which to expose)
 */
public record ContainerIdentity(String id, String name, String image, Map<String, String> labels) {

  public static final String SERVICE_NAME = "com.docker.swarm.service.name";
  public static final String SERVICE_ID = "com.docker.swarm.service.id";
  public static final String TASK_NAME = "com.docker.swarm.task.name";
  public static final String TASK_ID = "com.docker.swarm.task.id";
  public static final String NODE_ID = "com.docker.swarm.node.id";
  public static final String STACK_NAMESPACE = "com.docker.stack.namespace";

  public ContainerIdentity {
    name = name != null && name.startsWith("/") ? name.substring(1) : name;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public String label(String key) {
    return labels.getOrDefault(key, "");
  }

  public String serviceName() {
    return label(SERVICE_NAME);
  }

  public String stack() {
    return label(STACK_NAMESPACE);
  }

  public String taskName() {
    return label(TASK_NAME);
  }

  public String nodeId() {
    return label(NODE_ID);
  }

  /** Whether Swarm started this container as a task of a service. */
  public boolean isSwarmTask() {
    return labels.containsKey(TASK_ID);
  }

  /** The first 12 characters of the id, as the Docker CLI shows it. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** cAdvisor's label-name form of a Docker label: {@code container_label_} + non-alphanumerics as '_'. */
  public static String promLabelName(String dockerLabel) {
    StringBuilder sb = new StringBuilder("container_label_");
    for (int i = 0; i < dockerLabel.length(); i++) {
      char c = dockerLabel.charAt(i);
      sb.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
    }
    return sb.toString();
  }
}
