package io.swarmscope.exporter.docker;

import io.swarmscope.common.docker.DockerWatcher;
import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.common.docker.RunningContainer;
import io.swarmscope.exporter.swarm.SwarmClusterSnapshot;
import io.swarmscope.exporter.swarm.SwarmClusterWatcher;
import io.swarmscope.exporter.swarm.SwarmManagerSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * The {@link DockerView} of a running exporter: the caches of a {@link DockerWatcher} and a
 * {@link SwarmClusterWatcher}.
 */
public final class LiveDockerView implements DockerView {

  private final DockerWatcher watcher;
  private final SwarmClusterWatcher cluster;

  public LiveDockerView(DockerWatcher watcher, SwarmClusterWatcher cluster) {
    this.watcher = watcher;
    this.cluster = cluster;
  }

  @Override
  public Optional<EngineIdentity> engine() {
    return watcher.identity();
  }

  @Override
  public List<RunningContainer> containers() {
    return watcher.inventory().all();
  }

  @Override
  public Optional<DockerConnection> connection() {
    return Optional.of(new DockerConnection(watcher.connected(), watcher.lastResyncMillis()));
  }

  @Override
  public Optional<SwarmClusterSnapshot> cluster() {
    return cluster.snapshot();
  }

  @Override
  public Optional<SwarmManagerSnapshot> manager() {
    return cluster.manager();
  }
}
