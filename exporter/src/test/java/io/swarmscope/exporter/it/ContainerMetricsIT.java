package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.docker.DockerSources;
import io.swarmscope.exporter.host.JnaStatFs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container collector on the real single-node swarm: a replicated service, a global service
 * and a plain container are scraped over HTTP with their Swarm labels, values move when a container
 * works, and a removed container is gone from the next scrape.
 */
class ContainerMetricsIT {

  static final Duration LIMIT = Duration.ofSeconds(90);
  static DockerClient docker;
  static TestWorkloads workloads;
  static DockerSources sources;
  static Exporter exporter;
  static Scraper scraper;
  static String nodeId;
  static String plainId;

  @BeforeAll
  static void start() throws Exception {
    docker = DockerTestSupport.client();
    workloads = new TestWorkloads(docker);
    workloads.removeAll();
    nodeId = docker.infoCmd().exec().getSwarm().getNodeID();
    workloads.service("ssit-rep", 2, "ssit", null);
    workloads.service("ssit-glob", null, "ssit", null);
    plainId = workloads.plainContainer("ssit-plain", 256L << 20);
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--collector.disable-defaults", "--collector.container",
        "--collector.container.labels=com.example.team");
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

  static List<String> cpuLines(String... parts) {
    return Scraper.lines(scraper.scrape(), "container_cpu_usage_seconds_total", parts);
  }

  @Test
  void swarmTasksCarryServiceStackTaskAndNodeLabels() {
    DockerTestSupport.await("two replicated and one global task", LIMIT,
        () -> cpuLines("container_label_com_docker_swarm_service_name=\"ssit-rep\"").size() == 2
            && cpuLines("container_label_com_docker_swarm_service_name=\"ssit-glob\"").size() == 1);
    for (String line : cpuLines("container_label_com_docker_swarm_service_name=\"ssit-")) {
      assertTrue(line.contains("container_label_com_docker_stack_namespace=\"ssit\""), line);
      assertTrue(line.contains("container_label_com_docker_swarm_node_id=\"" + nodeId + "\""), line);
      assertTrue(line.contains("container_label_com_docker_swarm_task_id=\""), line);
      assertTrue(line.contains("container_label_com_docker_swarm_task_name=\"ssit-"), line);
      assertTrue(line.contains("container_label_com_docker_swarm_service_id=\""), line);
      assertTrue(line.contains("image=\"local/busybox:1"), line);
      assertTrue(line.contains("cpu=\"total\""), line);
    }
  }

  @Test
  void plainContainerHasIdentityLimitsAndNetworkButNoSwarmLabels() {
    DockerTestSupport.await("the plain container", LIMIT,
        () -> cpuLines("name=\"ssit-plain\"").size() == 1);
    String text = scraper.scrape();
    String line = cpuLines("name=\"ssit-plain\"").get(0);
    assertFalse(line.contains("container_label_com_docker_swarm"), line);
    assertTrue(line.contains("container_label_com_example_team=\"it\""), line);
    assertTrue(line.contains("id=\"/docker/" + plainId + "\""), line);
    List<String> limit = Scraper.lines(text, "container_spec_memory_limit_bytes", "name=\"ssit-plain\"");
    assertEquals(256.0 * 1024 * 1024, Scraper.value(limit.get(0)));
    assertEquals(1, Scraper.lines(text, "container_network_receive_bytes_total",
        "name=\"ssit-plain\"", "interface=\"eth0\"").size(), text);
    assertEquals(1, Scraper.lines(text, "container_start_time_seconds", "name=\"ssit-plain\"").size());
    assertFalse(Scraper.lines(text, "container_tasks_state", "name=\"ssit-plain\"", "state=\"sleeping\"")
        .isEmpty());
    assertEquals(1, Scraper.lines(text, "container_memory_usage_bytes", "id=\"/\"").size(), text);
  }

  @Test
  void cpuAndMemoryMoveWhenTheContainerWorks() throws Exception {
    String id = workloads.plainContainer("ssit-busy", 0);
    DockerTestSupport.await("the busy container", LIMIT,
        () -> cpuLines("name=\"ssit-busy\"").size() == 1);
    double cpuBefore = Scraper.value(cpuLines("name=\"ssit-busy\"").get(0));
    double memBefore = Scraper.value(Scraper.lines(scraper.scrape(), "container_memory_usage_bytes",
        "name=\"ssit-busy\"").get(0));
    workloads.exec(id, "sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
    workloads.exec(id, "sh", "-c", "dd if=/dev/zero of=/tmp/fill bs=1M count=32 2>/dev/null");
    String text = scraper.scrape();
    double cpuAfter = Scraper.value(Scraper.lines(text, "container_cpu_usage_seconds_total",
        "name=\"ssit-busy\"").get(0));
    double memAfter = Scraper.value(Scraper.lines(text, "container_memory_usage_bytes",
        "name=\"ssit-busy\"").get(0));
    assertTrue(cpuAfter > cpuBefore + 0.05, cpuBefore + " -> " + cpuAfter);
    assertTrue(memAfter > memBefore + (16 << 20), memBefore + " -> " + memAfter);
  }

  @Test
  void removedContainerIsGoneFromTheNextScrape() {
    String id = workloads.plainContainer("ssit-gone", 0);
    DockerTestSupport.await("the container to appear", LIMIT,
        () -> cpuLines("name=\"ssit-gone\"").size() == 1);
    workloads.removeContainer(id);
    DockerTestSupport.await("the container to disappear", LIMIT,
        () -> !scraper.scrape().contains("name=\"ssit-gone\""));
    assertFalse(scraper.scrape().contains(id));
  }
}
