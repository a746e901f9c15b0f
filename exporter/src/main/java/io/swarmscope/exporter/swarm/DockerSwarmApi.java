package io.swarmscope.exporter.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link SwarmApi} over docker-java: {@code infoCmd}, {@code listSwarmNodesCmd},
 * {@code listServicesCmd} and {@code listTasksCmd}, each response reduced at once to the small
 * records the cluster state keeps (the raw responses are not held).
 */
public final class DockerSwarmApi implements SwarmApi {

  private final DockerClient client;

  public DockerSwarmApi(DockerClient client) {
    this.client = client;
  }

  @Override
  public Self self() {
    return self(client.infoCmd().exec());
  }

  /** Reduces an {@code /info} answer (public for tests on recorded answers). */
  public static Self self(Info info) {
    SwarmInfo swarm = info.getSwarm();
    if (swarm == null || !Boolean.TRUE.equals(swarm.getControlAvailable())) {
      return Self.worker(swarm == null ? "" : orEmpty(swarm.getNodeID()));
    }
    return new Self(orEmpty(swarm.getNodeID()), true,
        swarm.getManagers() == null ? 0 : swarm.getManagers(),
        swarm.getRemoteManagers() == null ? 0 : swarm.getRemoteManagers().size(),
        swarm.getError());
  }

  @Override
  public List<ClusterNode> nodes() {
    List<ClusterNode> out = new ArrayList<>();
    for (SwarmNode n : client.listSwarmNodesCmd().exec()) {
      out.add(node(n));
    }
    return out;
  }

  /** Reduces one node of the node list (public for tests on recorded answers). */
  public static ClusterNode node(SwarmNode n) {
    var spec = n.getSpec();
    var desc = n.getDescription();
    var engine = desc == null ? null : desc.getEngine();
    var platform = desc == null ? null : desc.getPlatform();
    var manager = n.getManagerStatus();
    return new ClusterNode(n.getId(),
        desc == null ? "" : orEmpty(desc.getHostname()),
        spec == null || spec.getRole() == null ? "" : lower(spec.getRole()),
        spec == null || spec.getAvailability() == null ? "" : lower(spec.getAvailability()),
        n.getStatus() == null || n.getStatus().getState() == null ? "unknown" : lower(n.getStatus().getState()),
        engine == null ? "" : orEmpty(engine.getEngineVersion()),
        manager != null && manager.isLeader(),
        manager == null || manager.getReachability() == null ? "" : lower(manager.getReachability()),
        spec == null ? Map.of() : spec.getLabels(),
        engine == null ? Map.of() : engine.getLabels(),
        platform == null ? "" : orEmpty(platform.getOs()),
        platform == null ? "" : orEmpty(platform.getArchitecture()));
  }

  @Override
  public List<ClusterService> services() {
    List<ClusterService> out = new ArrayList<>();
    for (Service s : client.listServicesCmd().exec()) {
      ServiceSpec spec = s.getSpec();
      if (spec == null) {
        continue;
      }
      var modeConfig = spec.getMode();
      String mode = "job";
      long replicas = 0;
      if (modeConfig != null && modeConfig.getReplicated() != null) {
        mode = "replicated";
        replicas = modeConfig.getReplicated().getReplicas();
      } else if (modeConfig != null && modeConfig.getGlobal() != null) {
        mode = "global";
      }
      var template = spec.getTaskTemplate();
      var placement = template == null ? null : template.getPlacement();
      Map<String, String> labels = spec.getLabels() == null ? Map.of() : spec.getLabels();
      out.add(new ClusterService(s.getId(), orEmpty(spec.getName()),
          labels.getOrDefault("com.docker.stack.namespace", ""), mode, replicas,
          placement == null ? List.of() : placement.getConstraints(),
          s.getUpdateStatus() == null || s.getUpdateStatus().getState() == null ? "none"
              : lower(s.getUpdateStatus().getState())));
    }
    return out;
  }

  @Override
  public List<ClusterTask> tasks() {
    List<ClusterTask> out = new ArrayList<>();
    for (Task t : client.listTasksCmd().exec()) {
      String state = t.getStatus() == null || t.getStatus().getState() == null ? "unknown"
          : t.getStatus().getState().getValue();
      String desired = t.getDesiredState() == null ? "" : t.getDesiredState().getValue();
      out.add(new ClusterTask(orEmpty(t.getServiceId()), orEmpty(t.getNodeId()), state, desired));
    }
    return out;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
