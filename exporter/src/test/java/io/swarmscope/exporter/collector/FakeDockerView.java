package io.swarmscope.exporter.collector;

import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.common.docker.RunningContainer;
import io.swarmscope.exporter.docker.DockerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test helper: a {@link DockerView} whose contents the test sets. */
public class FakeDockerView implements DockerView {

  public EngineIdentity engine;
  public final List<RunningContainer> containers = new ArrayList<>();

  @Override
  public Optional<EngineIdentity> engine() {
    return Optional.ofNullable(engine);
  }

  @Override
  public List<RunningContainer> containers() {
    return List.copyOf(containers);
  }
}
