package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.host.JnaStatFs;
import io.swarmscope.exporter.host.StatFs;
import io.swarmscope.exporter.it.ScrapedFamilies.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exporter image on the real engine, started the way stack.yml starts it (host /proc, /sys
 * and / mounted read-only, no pid or network sharing): it must report the host, not its own
 * container — the host's hostname, filesystems and network interfaces.
 */
class ExporterContainerIT {

  static final String IMAGE = "swarmscope/exporter:it";
  static final String NAME = "swarmscope-exporter-it-" + UUID.randomUUID().toString().substring(0, 8);
  static ScrapedFamilies scrape;
  static String metricsUrl;
  static String containerHostname;

  // stack.yml mounts / with rslave propagation; the test machine's / is a private mount, which
  // Docker refuses to bind with rslave, so the test binds it plainly.
  @BeforeAll
  static void startContainer() throws Exception {
    TestEnvironment.requireDocker();
    assertTrue(Files.exists(Path.of("target/swarmscope-exporter.jar")), "package the exporter first");
    TestEnvironment.runOrFail(List.of("docker", "build", "-q", "--build-arg",
        "BASE=local/eclipse-temurin:25-jre", "-t", IMAGE, "."), 300);
    TestEnvironment.runOrFail(List.of("docker", "run", "-d", "--name", NAME,
        "--label", "io.swarmscope.test=true", "-p", "127.0.0.1::9100",
        "-v", "/proc:/host/proc:ro", "-v", "/sys:/host/sys:ro", "-v", "/:/rootfs:ro",
        IMAGE, "--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/rootfs",
        "--docker.host="), 60);
    String port = TestEnvironment.runOrFail(List.of("docker", "port", NAME, "9100/tcp"), 30)
        .output().trim().lines().findFirst().orElseThrow();
    containerHostname = TestEnvironment.runOrFail(List.of("docker", "inspect", "-f",
        "{{.Config.Hostname}}", NAME), 30).output().trim();
    metricsUrl = "http://" + port.replace("0.0.0.0", "127.0.0.1") + "/metrics";
    scrape = ScrapedFamilies.parse(TestEnvironment.scrape(metricsUrl, Duration.ofSeconds(60)));
  }

  @AfterAll
  static void removeContainer() {
    TestEnvironment.run(List.of("docker", "rm", "-f", NAME), 60);
  }

  @Test
  void reportsTheHostsHostnameNotTheContainers() throws Exception {
    String hostHostname = Files.readString(Path.of("/etc/hostname")).trim();
    List<Sample> uname = scrape.get("node_uname_info").samples();
    assertEquals(1, uname.size());
    assertEquals(hostHostname, uname.get(0).labels().get("nodename"));
    assertNotEquals(containerHostname, uname.get(0).labels().get("nodename"));
  }

  @Test
  void reportsTheHostsFilesystems() throws Exception {
    var sizes = scrape.get("node_filesystem_size_bytes");
    assertNotNull(sizes, "no filesystem series");
    Set<String> mountpoints = sizes.samples().stream().map(s -> s.labels().get("mountpoint"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(mountpoints.contains("/"), "host root missing: " + mountpoints);
    assertFalse(mountpoints.stream().anyMatch(m -> m.startsWith("/rootfs") || m.startsWith("/host")),
        "container-side paths leaked: " + mountpoints);
    StatFs.Result root = new JnaStatFs().stat(Path.of("/"));
    assertEquals((double) root.blocks() * root.blockSize(), sizes.value(Map.of("mountpoint", "/")));
    String rootType = sizes.samples().stream().filter(s -> s.labels().get("mountpoint").equals("/"))
        .findFirst().orElseThrow().labels().get("fstype");
    assertNotEquals("overlay", rootType, "the container's own overlay root was reported");
  }

  @Test
  void reportsTheHostsNetworkInterfaces() throws Exception {
    // Other containers may come and go during the scrape (veth pairs), so the host's list is
    // read before and after it: what both lists hold must be reported, and nothing outside them.
    Set<String> before = hostDevices();
    ScrapedFamilies fresh = ScrapedFamilies.parse(TestEnvironment.scrape(metricsUrl, Duration.ofSeconds(30)));
    Set<String> after = hostDevices();
    Set<String> reported = fresh.get("node_network_receive_bytes_total").samples().stream()
        .map(s -> s.labels().get("device")).collect(Collectors.toCollection(TreeSet::new));
    Set<String> stable = new TreeSet<>(before);
    stable.retainAll(after);
    Set<String> seen = new TreeSet<>(before);
    seen.addAll(after);
    assertTrue(reported.containsAll(stable), "host devices missing: " + stable + " vs " + reported);
    assertTrue(seen.containsAll(reported), "devices not on the host: " + reported + " vs " + seen);
    // The container's own namespace has only lo and eth0; the host has its bridge as well.
    assertTrue(reported.contains("docker0"), "the container's own interfaces were reported: " + reported);
  }

  private static Set<String> hostDevices() throws Exception {
    return Files.readAllLines(Path.of("/proc/1/net/dev")).stream().skip(2)
        .map(l -> l.substring(0, l.indexOf(':')).trim()).collect(Collectors.toCollection(TreeSet::new));
  }
}
