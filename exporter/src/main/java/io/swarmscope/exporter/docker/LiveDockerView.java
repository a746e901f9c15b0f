package io.swarmscope.exporter.docker;

import io.swarmscope.common.docker.DockerWatcher;
import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.common.docker.RunningContainer;
import java.util.List;
import java.util.Optional;

/** The {@link DockerView} of a running exporter: the caches of a {@link DockerWatcher}. */
public final class LiveDockerView implements DockerView {

  private final DockerWatcher watcher;

  public LiveDockerView(DockerWatcher watcher) {
    this.watcher = watcher;
  }

  @Override
  public Optional<EngineIdentity> engine() {
    return watcher.identity();
  }

  @Override
  public List<RunningContainer> containers() {
    return watcher.inventory().all();
  }
}
