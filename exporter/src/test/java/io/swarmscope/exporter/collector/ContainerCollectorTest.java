package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.common.docker.RunningContainer;
import io.swarmscope.exporter.docker.ContainerLabelPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden scrapes of fixture cgroup trees: v1 and v2, cgroupfs and systemd drivers, nested nodes. */
class ContainerCollectorTest {

  static final String TASK_ID = "4f1e0b2c8d9a";
  static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final String PLAIN_ID = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  @TempDir Path dir;

  final FakeDockerView docker = new FakeDockerView();

  static RunningContainer swarmTask(int pid) {
    return new RunningContainer(new ContainerIdentity(ID, "/web_web.1." + TASK_ID,
        "nginx:1.27@sha256:abc", Map.of(
            ContainerIdentity.SERVICE_NAME, "web_web",
            ContainerIdentity.SERVICE_ID, "svc123",
            ContainerIdentity.TASK_NAME, "web_web.1." + TASK_ID,
            ContainerIdentity.TASK_ID, TASK_ID,
            ContainerIdentity.NODE_ID, "node123",
            ContainerIdentity.STACK_NAMESPACE, "web",
            "com.example.team", "payments",
            "com.example.build", "1234")), pid, 1_699_999_000_500L);
  }

  static RunningContainer plain(int pid) {
    return new RunningContainer(new ContainerIdentity(PLAIN_ID, "/db", "local/busybox:1",
        Map.of("com.example.team", "storage")), pid, 1_699_990_000_000L);
  }

  ContainerCollector collector(String allowList) {
    FixtureTree t = new FixtureTree(dir);
    return new ContainerCollector(t.paths(), docker, CLOCK, ContainerLabelPolicy.of(allowList));
  }

  @Test
  void cgroupV1CgroupfsWithSeparateCpuMounts() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    CgroupFixtures.v1(t, "cpu", "cpuacct", "/docker/" + ID, 4242, 1);
    CgroupFixtures.process(t, 4242, 1, v1CgroupFile("/docker/" + ID));
    docker.containers.add(swarmTask(4242));
    Golden.assertMatches("container-v1-cgroupfs.txt", Exposition.text(collector("com.example.team")));
  }

  @Test
  void cgroupV1SystemdWithJoinedCpuMount() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    String path = "/system.slice/docker-" + PLAIN_ID + ".scope";
    // Joined mount, as most distributions have it: cpu,cpuacct with no per-controller symlinks.
    CgroupFixtures.v1(t, "cpu,cpuacct", "cpu,cpuacct", path, 777, 3);
    CgroupFixtures.process(t, 777, 3, v1CgroupFileJoined(path));
    docker.containers.add(plain(777));
    Golden.assertMatches("container-v1-systemd.txt", Exposition.text(collector("")));
  }

  @Test
  void cgroupV2Cgroupfs() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    CgroupFixtures.v2(t, "/docker/" + ID, 4242, 2);
    CgroupFixtures.process(t, 4242, 2, "0::/docker/" + ID + "\n");
    docker.containers.add(swarmTask(4242));
    Golden.assertMatches("container-v2-cgroupfs.txt", Exposition.text(collector("")));
  }

  @Test
  void cgroupV2Systemd() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    String path = "/system.slice/docker-" + PLAIN_ID + ".scope";
    CgroupFixtures.v2(t, path, 777, 5);
    CgroupFixtures.process(t, 777, 5, "0::" + path + "\n");
    docker.containers.add(plain(777));
    Golden.assertMatches("container-v2-systemd.txt", Exposition.text(collector("")));
  }

  @Test
  void dockerInDockerNodeNestsCgroupsUnderItsParent() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    String path = "/dind-node-2/" + ID;
    CgroupFixtures.v1(t, "cpu", "cpuacct", path, 4242, 1);
    CgroupFixtures.process(t, 4242, 1, v1CgroupFile(path));
    docker.containers.add(swarmTask(4242));
    String text = Exposition.text(collector(""));
    assertTrue(text.contains("container_cpu_usage_seconds_total{container_label_com_docker_stack_namespace=\"web\","),
        text);
    assertTrue(text.contains("id=\"/dind-node-2/" + ID + "\""), text);
  }

  @Test
  void runningContainerWhoseCgroupCannotBeFoundIsCountedUnreadableNotVanished() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    CgroupFixtures.v2(t, "/docker/" + ID, 4242, 2);
    CgroupFixtures.process(t, 4242, 2, "0::/docker/" + ID + "\n");
    // Its process is there, but its cgroup file names a path that has no cgroup directory.
    CgroupFixtures.process(t, 999, 1, "0::/somewhere/else\n");
    docker.containers.add(swarmTask(4242));
    docker.containers.add(plain(999));
    String text = Exposition.text(collector(""));
    assertTrue(text.contains("swarmscope_container_skipped_total{reason=\"unreadable\"} 1.0"), text);
    assertTrue(text.contains("swarmscope_container_skipped_total{reason=\"vanished\"} 0.0"), text);
    assertTrue(text.contains("name=\"web_web.1." + TASK_ID + "\""), text);
  }

  @Test
  void containerThatVanishedIsSkippedAndCounted() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    CgroupFixtures.v2(t, "/docker/" + ID, 4242, 2);
    CgroupFixtures.process(t, 4242, 2, "0::/docker/" + ID + "\n");
    docker.containers.add(swarmTask(4242));
    docker.containers.add(plain(999)); // in the inventory, but its process and cgroup are gone
    ContainerCollector c = collector("");
    String text = Exposition.text(c);
    assertTrue(text.contains("swarmscope_container_skipped_total{reason=\"vanished\"} 1.0"), text);
    assertTrue(text.contains("name=\"web_web.1." + TASK_ID + "\""), text);
    assertFalse(text.contains("name=\"db\""), text);
  }

  @Test
  void removedContainerDisappearsFromTheNextScrape() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    CgroupFixtures.v2(t, "/docker/" + ID, 4242, 2);
    CgroupFixtures.process(t, 4242, 2, "0::/docker/" + ID + "\n");
    docker.containers.add(swarmTask(4242));
    ContainerCollector c = collector("");
    assertTrue(Exposition.text(c).contains(ID));
    docker.containers.clear();
    String text = Exposition.text(c);
    assertFalse(text.contains(ID), text);
    assertTrue(text.contains("container_cpu_usage_seconds_total{cpu=\"total\",id=\"/\"}"), text);
  }

  @Test
  void readingOnSeveralWorkersGivesTheSameScrapeAsOneThread() {
    var t = new FixtureTree(dir);
    CgroupFixtures.host(t);
    for (int k = 1; k <= 9; k++) {
      String id = String.valueOf(k).repeat(64);
      int pid = 1000 * k;
      CgroupFixtures.v2(t, "/docker/" + id, pid, k);
      CgroupFixtures.process(t, pid, k, "0::/docker/" + id + "\n");
      docker.containers.add(new RunningContainer(new ContainerIdentity(id, "/c" + k, "img:" + k,
          Map.of()), pid, 1_699_990_000_000L + k));
      if (k == 5) {
        docker.containers.add(plain(999)); // vanished: its process and cgroup are gone
      }
    }
    String serial = Exposition.text(new ContainerCollector(t.paths(), docker, CLOCK,
        ContainerLabelPolicy.of(""), new ScrapeWorkers(1)));
    String parallel = Exposition.text(new ContainerCollector(t.paths(), docker, CLOCK,
        ContainerLabelPolicy.of(""), new ScrapeWorkers(4)));
    assertEquals(serial, parallel);
    for (int k = 1; k <= 9; k++) {
      assertTrue(parallel.contains("container_memory_usage_bytes{id=\"/docker/" + String.valueOf(k).repeat(64)),
          parallel);
    }
    assertTrue(parallel.contains("swarmscope_container_skipped_total{reason=\"vanished\"} 1.0"), parallel);
  }

  static String v1CgroupFile(String path) {
    return "12:pids:" + path + "\n11:blkio:" + path + "\n9:memory:" + path + "\n3:cpuacct:" + path
        + "\n2:cpu:" + path + "\n1:name=systemd:" + path + "\n0::/\n";
  }

  static String v1CgroupFileJoined(String path) {
    return "12:pids:" + path + "\n11:blkio:" + path + "\n9:memory:" + path + "\n3:cpu,cpuacct:" + path
        + "\n1:name=systemd:" + path + "\n";
  }
}
