package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.host.JnaStatFs;
import io.swarmscope.exporter.host.StatFs;
import io.swarmscope.exporter.it.ScrapedFamilies.Sample;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * container — the host's hostname, filesystems, network interfaces and network counters.
 *
 * <p>The container's own network namespace is the trap: it has an {@code eth0} and a
 * {@code lo} of its own, with its own counters, and {@code <procfs>/net} resolves to it. The
 * tests read the host's figures from the host ({@code /proc/1/net}) and the container's from
 * {@code /proc/<container pid>/net}, and check the exporter reports the former.
 *
 * <p>{@code -Dit.prefix=NAME} names the image and container {@code NAME/exporter:it} and
 * {@code NAME-exporter-it-*} (default {@code swarmscope}), so that runs from two checkouts on one
 * engine do not replace each other's image.
 */
class ExporterContainerIT {

  static final String PREFIX = System.getProperty("it.prefix", "swarmscope");
  static final String IMAGE = PREFIX + "/exporter:it";
  static final String NAME = PREFIX + "-exporter-it-" + UUID.randomUUID().toString().substring(0, 8);
  static ScrapedFamilies scrape;
  static String metricsUrl;
  static String containerHostname;
  static Path containerNet;

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
    containerNet = Path.of("/proc", TestEnvironment.runOrFail(List.of("docker", "inspect", "-f",
        "{{.State.Pid}}", NAME), 30).output().trim(), "net");
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
    Set<String> reported = reportedDevices("node_network_receive_bytes_total", ExporterContainerIT::hostDevices);
    // The container's own namespace has only lo and eth0; the host has its bridge as well.
    assertTrue(reported.contains("docker0"), "the container's own interfaces were reported: " + reported);
  }

  /**
   * The devices of one family in a fresh scrape, checked against the host's list: other
   * containers come and go during the scrape (veth pairs), so the list is read before and after
   * it; what both hold must be reported, and nothing outside them but a veth that is gone again.
   */
  private static Set<String> reportedDevices(String family, HostDeviceList host) throws Exception {
    Set<String> before = host.read();
    ScrapedFamilies fresh = ScrapedFamilies.parse(TestEnvironment.scrape(metricsUrl, Duration.ofSeconds(30)));
    Set<String> after = host.read();
    Set<String> reported = fresh.get(family).samples().stream()
        .map(s -> s.labels().get("device")).collect(Collectors.toCollection(TreeSet::new));
    Set<String> stable = new TreeSet<>(before);
    stable.retainAll(after);
    assertTrue(reported.containsAll(stable), "host devices missing: " + stable + " vs " + reported);
    Set<String> foreign = new TreeSet<>(reported);
    foreign.removeAll(before);
    foreign.removeAll(after);
    foreign.removeIf(d -> d.startsWith("veth") && !Files.exists(Path.of("/sys/class/net", d)));
    assertEquals(Set.of(), foreign, family + ": devices not on the host");
    return reported;
  }

  @FunctionalInterface
  private interface HostDeviceList {
    Set<String> read() throws Exception;
  }

  @Test
  void reportsTheHostsInterfacesInNetclass() throws Exception {
    Set<String> reported = reportedDevices("node_network_up", ExporterContainerIT::classNetDevices);
    Set<String> own = devices(containerNet.resolve("dev"));
    assertFalse(own.contains("docker0"), "the container's own namespace has " + own);
    // The host side of the exporter's own veth pair exists as long as the container runs.
    assertTrue(reported.contains("docker0") && reported.stream().anyMatch(d -> d.startsWith("veth")),
        "the host's bridge and veths missing: " + reported);
    assertEquals(Files.readString(Path.of("/sys/class/net/docker0/mtu")).trim(),
        String.valueOf((long) scrape.get("node_network_mtu_bytes").value(Map.of("device", "docker0"))));
  }

  @Test
  void reportsTheHostsEth0CountersNotTheContainersEth0() throws Exception {
    // Both namespaces have an eth0; the host's has carried all of the machine's traffic, the
    // container's only this test's scrapes. Host counters only grow, so the exporter's reading
    // must lie between the host's before and after the scrape.
    double hostBefore = netDevColumn(Path.of("/proc/1/net/dev"), "eth0", 0);
    double containerOwn = netDevColumn(containerNet.resolve("dev"), "eth0", 0);
    ScrapedFamilies fresh = ScrapedFamilies.parse(TestEnvironment.scrape(metricsUrl, Duration.ofSeconds(30)));
    double hostAfter = netDevColumn(Path.of("/proc/1/net/dev"), "eth0", 0);
    double reported = fresh.get("node_network_receive_bytes_total").value(Map.of("device", "eth0"));
    assertTrue(containerOwn < hostBefore, "the two eth0 cannot be told apart: container "
        + containerOwn + ", host " + hostBefore);
    assertTrue(reported >= hostBefore && reported <= hostAfter, "eth0 receive bytes " + reported
        + " outside the host's [" + hostBefore + ", " + hostAfter + "] (container's own: " + containerOwn + ")");
  }

  @Test
  void reportsTheHostsNetstatSockstatAndConntrack() throws Exception {
    // 64 connections over the host's loopback: 128 TCP sockets and 64 conntrack entries in the
    // host's namespace, none in the container's.
    List<java.io.Closeable> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(listener);
        sockets.add(new java.net.Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
      }
      double opensBefore = snmp(Path.of("/proc/1/net/snmp"), "Tcp", "ActiveOpens");
      double containerOpens = snmp(containerNet.resolve("snmp"), "Tcp", "ActiveOpens");
      ScrapedFamilies fresh = ScrapedFamilies.parse(TestEnvironment.scrape(metricsUrl, Duration.ofSeconds(30)));
      double opensAfter = snmp(Path.of("/proc/1/net/snmp"), "Tcp", "ActiveOpens");
      // Java's sockets are IPv6 sockets where the host has IPv6: count TCP and TCP6 together.
      double containerInuse = sockstat(containerNet.resolve("sockstat"), "TCP:", "inuse")
          + (Files.exists(containerNet.resolve("sockstat6"))
              ? sockstat(containerNet.resolve("sockstat6"), "TCP6:", "inuse") : 0);

      double opens = fresh.get("node_netstat_Tcp_ActiveOpens").value(Map.of());
      assertTrue(containerOpens < opensBefore, "container " + containerOpens + ", host " + opensBefore);
      assertTrue(opens >= opensBefore && opens <= opensAfter, "Tcp ActiveOpens " + opens
          + " outside the host's [" + opensBefore + ", " + opensAfter + "] (container's own: "
          + containerOpens + ")");
      double inuse = fresh.get("node_sockstat_TCP_inuse").value(Map.of())
          + (fresh.get("node_sockstat_TCP6_inuse") == null ? 0
              : fresh.get("node_sockstat_TCP6_inuse").value(Map.of()));
      assertTrue(containerInuse < 128, "the container's namespace has " + containerInuse + " TCP sockets");
      assertTrue(inuse >= 128, "TCP and TCP6 inuse " + inuse + " is not the host's (128 sockets open"
          + " there; the container's own namespace has " + containerInuse + ")");

      Path hostConntrack = Path.of("/proc/1/net/stat/nf_conntrack");
      if (Files.exists(hostConntrack)) {
        double containerEntries = conntrackEntries(containerNet.resolve("stat/nf_conntrack"));
        double entries = fresh.get("node_nf_conntrack_entries").value(Map.of());
        assertTrue(containerEntries < 64, "the container's namespace tracks " + containerEntries);
        assertTrue(entries >= 64, "conntrack entries " + entries + " are not the host's (64"
            + " connections tracked there; the container's own namespace has " + containerEntries + ")");
      }
    } finally {
      for (java.io.Closeable s : sockets) {
        s.close();
      }
    }
  }

  /** The {@code entries} column (hex) of {@code net/stat/nf_conntrack}; 0 without the file. */
  private static double conntrackEntries(Path file) throws Exception {
    if (!Files.exists(file)) {
      return 0;
    }
    return Long.parseLong(Files.readAllLines(file).get(1).trim().split("\\s+")[0], 16);
  }

  /** A column of {@code net/dev} for one device (0 = receive bytes). */
  private static double netDevColumn(Path file, String device, int column) throws Exception {
    for (String line : Files.readAllLines(file)) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(device)) {
        return Double.parseDouble(line.substring(colon + 1).trim().split("\\s+")[column]);
      }
    }
    throw new AssertionError(device + " not in " + file);
  }

  /** A field of {@code net/snmp}: a header line and a value line per protocol. */
  private static double snmp(Path file, String protocol, String field) throws Exception {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith(protocol + ":") && lines.get(i + 1).startsWith(protocol + ":")) {
        List<String> names = List.of(lines.get(i).split(" "));
        return Double.parseDouble(lines.get(i + 1).split(" ")[names.indexOf(field)]);
      }
    }
    throw new AssertionError(protocol + " not in " + file);
  }

  /** A value of {@code net/sockstat}, e.g. {@code TCP: inuse 4 orphan 0 ...}. */
  private static double sockstat(Path file, String prefix, String key) throws Exception {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(prefix)) {
        List<String> f = List.of(line.split(" "));
        return Double.parseDouble(f.get(f.indexOf(key) + 1));
      }
    }
    throw new AssertionError(prefix + " not in " + file);
  }

  private static Set<String> devices(Path netDev) throws Exception {
    return Files.readAllLines(netDev).stream().skip(2)
        .map(l -> l.substring(0, l.indexOf(':')).trim()).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The host's network interfaces as sysfs lists them (bonding_masters is a file, no device). */
  private static Set<String> classNetDevices() throws Exception {
    try (var entries = Files.list(Path.of("/sys/class/net"))) {
      return entries.filter(p -> !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> hostDevices() throws Exception {
    return Files.readAllLines(Path.of("/proc/1/net/dev")).stream().skip(2)
        .map(l -> l.substring(0, l.indexOf(':')).trim()).collect(Collectors.toCollection(TreeSet::new));
  }
}
