package io.swarmscope.exporter.docker;

import io.swarmscope.common.docker.DockerClients;
import io.swarmscope.common.docker.DockerWatcher;
import java.time.Duration;
import java.util.Map;

/**
 * The exporter's Docker side, started once at boot: the watcher that keeps the engine identity
 * and container inventory current, and the view collectors read. With {@code --docker.host=""}
 * nothing is started and the view knows nothing.
 */
public final class DockerSources implements AutoCloseable {

  /** How often the full container list and engine identity are reread even when events flow. */
  static final Duration RESYNC = Duration.ofSeconds(60);

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
    DockerWatcher watcher = new DockerWatcher(DockerClients.create(dockerHost), dockerHost, RESYNC,
        labels::keeps).start();
    return new DockerSources(new LiveDockerView(watcher), watcher);
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
