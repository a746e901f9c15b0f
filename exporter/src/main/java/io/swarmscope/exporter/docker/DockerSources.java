package io.swarmscope.exporter.docker;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.common.docker.DockerWatcher;
import io.swarmscope.exporter.swarm.DockerSwarmApi;
import io.swarmscope.exporter.swarm.SwarmClusterWatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The exporter's Docker side, started once at boot: the watcher that keeps the engine identity
 * and container inventory current, the Swarm cluster watcher (cluster state on the leader only,
 * manager state on every manager), and the view collectors read. With {@code --docker.host=""}
 * nothing is started and the view knows nothing.
 */
public final class DockerSources implements AutoCloseable {

  /** How often the full container list and engine identity are reread even when events flow. */
  static final Duration RESYNC = Duration.ofSeconds(60);

  /** How often the leader rereads nodes, services and tasks even without events. */
  static final Duration CLUSTER_REFRESH = Duration.ofSeconds(10);

  private final DockerView view;
  private final AutoCloseable[] running;

  private DockerSources(DockerView view, AutoCloseable... running) {
    this.view = view;
    this.running = running;
  }

  /** Starts watching {@code dockerHost} in the background; returns at once, also when it is down. */
  public static DockerSources start(String dockerHost, Map<String, String> options) {
    if (dockerHost == null || dockerHost.isEmpty()) {
      return new DockerSources(DockerView.none());
    }
    ContainerLabelPolicy labels = ContainerLabelPolicy.of(options.getOrDefault(ContainerLabelPolicy.OPTION, ""));
    DockerWatcher watcher = DockerWatcher.of(dockerHost, RESYNC, labels::keeps);
    SwarmClusterWatcher cluster = new SwarmClusterWatcher(new DockerSwarmApi(watcher.client()),
        Clock.systemUTC(), CLUSTER_REFRESH);
    watcher.addListener(event -> {
      if (affectsCluster(event)) {
        cluster.requestRefresh();
      }
    });
    watcher.start();
    cluster.start();
    return new DockerSources(new LiveDockerView(watcher, cluster), cluster, watcher);
  }

  /**
   * Service and node events, and local task containers starting or dying (Swarm sends no task
   * events), change the cluster state.
   */
  static boolean affectsCluster(Event e) {
    if (e.getType() == EventType.SERVICE || e.getType() == EventType.NODE) {
      return true;
    }
    var actor = e.getActor();
    return e.getType() == EventType.CONTAINER && actor != null && actor.getAttributes() != null
        && actor.getAttributes().containsKey(ContainerIdentity.TASK_ID);
  }

  public DockerView view() {
    return view;
  }

  @Override
  public void close() {
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception ignored) {
        // shutting down
      }
    }
  }
}
