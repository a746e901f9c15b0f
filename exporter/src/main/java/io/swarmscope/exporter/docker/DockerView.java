package io.swarmscope.exporter.docker;

import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.common.docker.RunningContainer;
import io.swarmscope.exporter.swarm.SwarmClusterSnapshot;
import io.swarmscope.exporter.swarm.SwarmManagerSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * What the Docker-fed collectors may know about the engine, read from caches that background
 * watchers keep current: collectors call this on the scrape path, so no implementation may call
 * Docker from these methods.
 */
public interface DockerView {

  /** The engine's Swarm identity, empty while Docker is disabled or has not answered yet. */
  Optional<EngineIdentity> engine();

  /** The running containers of this node, empty while unknown. */
  List<RunningContainer> containers();

  /**
   * The Swarm cluster state, present only on the exporter of the current leader (one exporter per
   * cluster exports it).
   */
  default Optional<SwarmClusterSnapshot> cluster() {
    return Optional.empty();
  }

  /**
   * What this manager knows about the swarm's managers, present on every manager (leader or not,
   * also when the swarm has no leader); empty on workers.
   */
  default Optional<SwarmManagerSnapshot> manager() {
    return Optional.empty();
  }

  /** The watcher's connection to the engine; empty when Docker is disabled. */
  default Optional<DockerConnection> connection() {
    return Optional.empty();
  }

  /** A view for when Docker is disabled: knows nothing. */
  static DockerView none() {
    return new DockerView() {
      @Override
      public Optional<EngineIdentity> engine() {
        return Optional.empty();
      }

      @Override
      public List<RunningContainer> containers() {
        return List.of();
      }
    };
  }
}
