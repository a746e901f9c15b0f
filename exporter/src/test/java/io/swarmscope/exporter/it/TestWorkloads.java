package io.swarmscope.exporter.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: creates containers and services on the real engine from the local busybox image,
 * all labelled {@link DockerTestSupport#TEST_LABEL}, and removes everything so labelled.
 */
public final class TestWorkloads {

  public static final String IMAGE = "local/busybox:1";

  private final DockerClient docker;

  public TestWorkloads(DockerClient docker) {
    this.docker = docker;
  }

  /** A plain (non-Swarm) container running {@code sleep}; returns its id. */
  public String plainContainer(String name, long memoryLimit) {
    removeContainer(name);
    String id = docker.createContainerCmd(IMAGE).withName(name)
        .withCmd("sleep", "3600")
        .withLabels(Map.of(DockerTestSupport.TEST_LABEL, "1", "com.example.team", "it"))
        .withHostConfig(HostConfig.newHostConfig().withMemory(memoryLimit))
        .exec().getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  /** A service of {@code sleep} tasks; {@code replicas} null means global mode. Returns its id. */
  public String service(String name, Integer replicas, String stack, TaskSpec template) {
    TaskSpec task = template != null ? template : new TaskSpec();
    task.withContainerSpec(new ContainerSpec().withImage(IMAGE).withCommand(List.of("sleep", "3600"))
        .withLabels(Map.of("com.docker.stack.namespace", stack)));
    ServiceModeConfig mode = replicas == null
        ? new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions())
        : new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas));
    ServiceSpec spec = new ServiceSpec().withName(name)
        .withLabels(Map.of(DockerTestSupport.TEST_LABEL, "1", "com.docker.stack.namespace", stack))
        .withTaskTemplate(task).withMode(mode);
    return docker.createServiceCmd(spec).exec().getId();
  }

  /** Runs {@code cmd} in the container and waits for it to finish. */
  public void exec(String containerId, String... cmd) throws InterruptedException {
    String exec = docker.execCreateCmd(containerId).withCmd(cmd).withAttachStdout(true)
        .withAttachStderr(true).exec().getId();
    docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>())
        .awaitCompletion(60, TimeUnit.SECONDS);
  }

  public void removeContainer(String nameOrId) {
    try {
      docker.removeContainerCmd(nameOrId).withForce(true).exec();
    } catch (RuntimeException e) {
      // already gone
    }
  }

  /** Removes every service and container the tests created, including ones earlier runs left. */
  public void removeAll() {
    for (var s : docker.listServicesCmd().withLabelFilter(Map.of(DockerTestSupport.TEST_LABEL, "1")).exec()) {
      try {
        docker.removeServiceCmd(s.getId()).exec();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    for (var c : docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(DockerTestSupport.TEST_LABEL, "1")).exec()) {
      removeContainer(c.getId());
    }
  }
}
