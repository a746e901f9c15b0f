package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.TaskSpec;
import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.docker.DockerSources;
import io.swarmscope.exporter.host.JnaStatFs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster collector on the real single-node swarm, whose one node is the leader: desired vs
 * running replicas for replicated and global services, a service that cannot be placed, and a
 * killed task showing up as failed.
 */
class SwarmClusterIT {

  static final Duration LIMIT = Duration.ofSeconds(90);
  static DockerClient docker;
  static TestWorkloads workloads;
  static DockerSources sources;
  static Exporter exporter;
  static Scraper scraper;

  @BeforeAll
  static void start() throws Exception {
    docker = DockerTestSupport.client();
    workloads = new TestWorkloads(docker);
    workloads.removeAll();
    workloads.service("sscl-ok", 1, "sscl", null);
    workloads.service("sscl-global", null, "sscl", null);
    // No node has this label: the scheduler cannot place any of the three replicas.
    workloads.service("sscl-unplaceable", 3, "sscl", new TaskSpec().withPlacement(
        new ServicePlacement().withConstraints(List.of("node.labels.sscl-missing==yes"))));
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--collector.disable-defaults", "--collector.swarm_cluster");
    sources = DockerSources.start(DockerTestSupport.SOCKET, flags.options());
    exporter = Exporter.start(flags, new CollectorContext(flags.paths(), Clock.systemUTC(),
        new JnaStatFs(), flags.options(), sources.view()));
    scraper = new Scraper(exporter.port());
  }

  @AfterAll
  static void stop() {
    if (exporter != null) {
      exporter.close();
    }
    if (sources != null) {
      sources.close();
    }
    if (workloads != null) {
      workloads.removeAll();
    }
  }

  static double value(String metric, String service, String... more) {
    String[] parts = new String[more.length + 1];
    parts[0] = "service=\"" + service + "\"";
    System.arraycopy(more, 0, parts, 1, more.length);
    List<String> lines = Scraper.lines(scraper.scrape(), metric, parts);
    return lines.isEmpty() ? -1 : Scraper.value(lines.get(0));
  }

  @Test
  void thisNodeIsTheLeaderAndIsListed() {
    String nodeId = docker.infoCmd().exec().getSwarm().getNodeID();
    DockerTestSupport.await("node info", LIMIT, () -> !Scraper.lines(scraper.scrape(),
        "swarm_node_info", "node_id=\"" + nodeId + "\"", "leader=\"true\"", "role=\"manager\"",
        "status=\"ready\"", "availability=\"active\"").isEmpty());
  }

  @Test
  void replicatedAndGlobalServicesReachTheirDesiredReplicas() {
    DockerTestSupport.await("sscl-ok running", LIMIT,
        () -> value("swarm_service_replicas_running", "sscl-ok") == 1);
    assertEquals(1, value("swarm_service_replicas_desired", "sscl-ok", "mode=\"replicated\"", "stack=\"sscl\""));
    DockerTestSupport.await("sscl-global running", LIMIT,
        () -> value("swarm_service_replicas_running", "sscl-global") == 1);
    assertEquals(1, value("swarm_service_replicas_desired", "sscl-global", "mode=\"global\""));
  }

  @Test
  void serviceScaledAboveWhatCanRunShowsDesiredAboveRunning() {
    DockerTestSupport.await("three pending tasks", LIMIT,
        () -> value("swarm_service_tasks", "sscl-unplaceable", "state=\"pending\"") == 3);
    assertEquals(3, value("swarm_service_replicas_desired", "sscl-unplaceable"));
    assertEquals(0, value("swarm_service_replicas_running", "sscl-unplaceable"));
  }

  @Test
  void killedTaskShowsUpInTaskStates() {
    DockerTestSupport.await("sscl-ok running", LIMIT,
        () -> value("swarm_service_replicas_running", "sscl-ok") == 1);
    var task = docker.listContainersCmd()
        .withLabelFilter(Map.of("com.docker.swarm.service.name", "sscl-ok")).exec().get(0);
    docker.killContainerCmd(task.getId()).exec();
    DockerTestSupport.await("a failed task", LIMIT,
        () -> value("swarm_service_tasks", "sscl-ok", "state=\"failed\"") >= 1);
  }
}
