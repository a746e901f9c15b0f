package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.shipper.output.logstash.Rsyslog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole shipper, {@code --outputs=logstash} in RFC 5424 over TCP, following a busybox
 * container on the real engine, into a real rsyslog: every line arrives once, under the node's
 * hostname, the container's name as APP-NAME and its short id as PROCID.
 */
class SyslogShipperIT {

  private Workloads workloads;
  private Rsyslog rsyslog;
  private ShipperUnderTest shipper;
  private Path dir;

  @BeforeEach
  void setUp() throws Exception {
    Rsyslog.require();
    workloads = new Workloads();
    dir = Path.of("target", "syslog-shipper-it", UUID.randomUUID().toString().substring(0, 8))
        .toAbsolutePath();
    Files.createDirectories(dir);
    rsyslog = Rsyslog.plain(dir.resolve("rsyslog"), Rsyslog.freePort(), Rsyslog.FIELDS).start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (shipper != null) {
      shipper.close();
    }
    workloads.close();
    rsyslog.close();
  }

  @Test
  void containerLinesArriveAsRfc5424WithTheNodeAndContainerIdentity() throws Exception {
    List<String> args = ShipperUnderTest.baseArgs(workloads, dir.resolve("checkpoints"));
    args.addAll(List.of("--outputs=logstash", "--logstash.address=127.0.0.1:" + rsyslog.port(),
        "--logstash.protocol=syslog5424", "--logstash.transport=tcp"));
    shipper = ShipperUnderTest.start(args);
    String hostname = Workloads.docker("info", "--format", "{{.Name}}").output().trim();
    String id = workloads.start("syslog", List.of(), Workloads.numbered("to-syslog", 200, 0)
        + "; echo 'oops' >&2");
    String name = workloads.inspect(id, "{{.Name}}").substring(1);
    workloads.awaitExit(id, Duration.ofMinutes(1));
    Workloads.await("201 lines at rsyslog", Duration.ofMinutes(1), () -> records().size() >= 201,
        () -> records().size() + " so far; " + rsyslog.log());
    List<String[]> records = records();
    assertEquals(201, records.size());
    Set<String> messages = new HashSet<>();
    for (String[] f : records) {
      String line = String.join("|", f);
      assertEquals("1", f[0], line);
      assertEquals(hostname, f[1], "the node's hostname: " + line);
      assertEquals(name, f[2], "APP-NAME: the container's name (no Swarm service): " + line);
      assertEquals(id.substring(0, 12), f[3], line);
      assertTrue(f[9].startsWith("[swarm@32473 container=\"" + name + "\" image=\"local/busybox:1\" level=\""), line);
      messages.add(f[4] + " " + f[10]);
    }
    for (int i = 1; i <= 200; i++) {
      assertTrue(messages.contains("stdout to-syslog " + i), "line " + i);
    }
    assertTrue(messages.contains("stderr oops"));
    Workloads.await("shipped metric", Duration.ofSeconds(10), () -> shipper.metrics()
        .sum("swarmscope_log_events_shipped_total", "output=\"logstash\"") == 201);
  }

  private List<String[]> records() {
    try {
      return new ArrayList<>(rsyslog.records());
    } catch (Exception e) {
      return List.of();
    }
  }
}
