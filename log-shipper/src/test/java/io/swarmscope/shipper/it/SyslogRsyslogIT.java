package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.QueuedOutput.BatchPolicy;
import io.swarmscope.shipper.output.logstash.Framing;
import io.swarmscope.shipper.output.logstash.LogstashOutput;
import io.swarmscope.shipper.output.logstash.LogstashSettings;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Protocol;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Transport;
import io.swarmscope.shipper.output.logstash.Rsyslog;
import io.swarmscope.shipper.output.logstash.TestCerts;
import io.swarmscope.shipper.output.logstash.TestEvents;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The syslog encodings against a real rsyslog (Debian's): what rsyslog parsed out of each message
 * (hostname, app-name, procid, msgid, structured data, PRI, timestamp, message) is what the event
 * said, over TCP with octet counting and newline framing, UDP, TLS with a client certificate;
 * a server certificate that names another host is refused; and rsyslog stopped and started again
 * mid-stream loses nothing the output acknowledged after the restart, the gap being bounded by
 * what the output's metrics call possibly lost.
 */
class SyslogRsyslogIT {

  private static final String HOST = "node-1";
  private static final ContainerIdentity SWARM = TestEvents.swarmContainer();
  private static final ContainerIdentity PLAIN =
      TestEvents.plainContainer("0123456789abcdef0123456789abcdef", "web");
  private static final LogLevel[] LEVELS = {LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR, LogLevel.DEBUG};
  private static final Map<LogLevel, Integer> PRI = Map.of(LogLevel.INFO, 134, LogLevel.WARN, 132,
      LogLevel.ERROR, 131, LogLevel.DEBUG, 135);

  private final ShipperMetrics metrics = new ShipperMetrics(new PrometheusRegistry());
  private final List<LogEvent> acked = new CopyOnWriteArrayList<>();
  private final List<LogstashOutput> outputs = new ArrayList<>();
  private final List<Rsyslog> servers = new ArrayList<>();
  private Path dir;

  @BeforeEach
  void setUp() {
    Rsyslog.require();
    dir = Path.of("target", "syslog-it", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (LogstashOutput o : outputs) {
      o.close(1_000);
    }
    for (Rsyslog r : servers) {
      r.close();
    }
  }

  private Rsyslog rsyslog(Rsyslog r) throws Exception {
    servers.add(r);
    return r.start();
  }

  private LogstashOutput output(LogstashSettings s) throws Exception {
    LogstashOutput o = new LogstashOutput(s, 4L << 20, (name, e) -> acked.add(e), metrics, HOST);
    outputs.add(o);
    o.start();
    return o;
  }

  private double errors(String reason) {
    return metrics.outputErrors.labelValues(HOST, "logstash", reason).get();
  }

  /** Event i: every fifth from the plain container, levels in turn, stderr every third. */
  private static LogEvent event(int i) {
    return TestEvents.event(i % 5 == 0 ? PLAIN : SWARM, HOST, TestEvents.TS + i * 1_000L, 0,
        i % 3 == 0 ? LogStream.STDERR : LogStream.STDOUT, "line " + i + " caf\u00e9", LEVELS[i % 4]);
  }

  private static String expectedSd(int i) {
    String level = LEVELS[i % 4].wireName();
    if (i % 5 == 0) {
      return "[swarm@32473 container=\"web\" image=\"local/busybox:1\" level=\"" + level + "\"]";
    }
    return "[swarm@32473 stack=\"shop\" service=\"shop_api\" task=\"shop_api.1.x7k\" "
        + "node_id=\"node1abc\" container=\"shop_api.1.x7k\" image=\"registry.example/shop/api:1.4\" "
        + "level=\"" + level + "\"]";
  }

  private static int number(String msg) {
    Matcher m = Pattern.compile("line (\\d+)").matcher(msg);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private void send(LogstashOutput out, int n, boolean paced) throws InterruptedException {
    for (int i = 1; i <= n; i++) {
      out.send(event(i));
      if (paced && i % 50 == 0) {
        Thread.sleep(20);
      }
    }
  }

  private void awaitRecords(Rsyslog r, int n) {
    Workloads.await(n + " messages written by rsyslog", Duration.ofSeconds(60), () -> {
      try {
        return r.records().size() >= n;
      } catch (Exception e) {
        return false;
      }
    }, () -> {
      try {
        return r.records().size() + " so far; acked " + acked.size() + "; rsyslog: " + r.log();
      } catch (Exception e) {
        return e.toString();
      }
    });
  }

  /** Each of the n events once, with the fields rsyslog parsed from RFC 5424. */
  private static void assertRfc5424(List<String[]> records, int n) {
    assertEquals(n, records.size());
    Set<Integer> seen = new HashSet<>();
    for (String[] f : records) {
      int i = number(f[10]);
      assertTrue(seen.add(i), "once: " + String.join("|", f));
      String line = String.join("|", f);
      assertEquals("1", f[0], line);
      assertEquals(HOST, f[1], line);
      assertEquals(i % 5 == 0 ? "web" : "shop_api", f[2], line);
      assertEquals(i % 5 == 0 ? "0123456789ab" : "3f2a9c1b7d4e", f[3], line);
      assertEquals(i % 3 == 0 ? "stderr" : "stdout", f[4], line);
      assertEquals(Integer.toString(PRI.get(LEVELS[i % 4])), f[7], line);
      long micros = (TestEvents.TS + i * 1_000L) / 1_000 % 1_000_000;
      assertEquals("2026-12-01T18:49:35." + String.format("%06d", micros) + "Z", f[8], line);
      assertEquals(expectedSd(i), f[9], line);
      assertEquals("line " + i + " caf\u00e9", f[10], line);
    }
    assertEquals(n, seen.size());
  }

  /** Each of the n events once, with the fields rsyslog parsed from RFC 3164. */
  private static void assertRfc3164(List<String[]> records, int n) {
    assertEquals(n, records.size());
    Set<Integer> seen = new HashSet<>();
    for (String[] f : records) {
      int i = number(f[10]);
      assertTrue(seen.add(i), "once: " + String.join("|", f));
      String line = String.join("|", f);
      String app = i % 5 == 0 ? "web" : "shop_api";
      String pid = i % 5 == 0 ? "0123456789ab" : "3f2a9c1b7d4e";
      assertEquals("0", f[0], line);
      assertEquals(HOST, f[1], line);
      assertEquals(app, f[2], line);
      assertEquals(pid, f[3], line);
      assertEquals(app + "[" + pid + "]:", f[5], line);
      assertEquals(app, f[6], line);
      assertEquals(Integer.toString(PRI.get(LEVELS[i % 4])), f[7], line);
      assertEquals("12-01T18:49:35", f[8].substring(5, 19), "UTC time of day: " + line);
      assertEquals(" line " + i + " caf\u00e9", f[10], line);
    }
    assertEquals(n, seen.size());
  }

  @Test
  void rfc5424OverTcpWithOctetCounting() throws Exception {
    Rsyslog r = rsyslog(Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.FIELDS));
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG5424));
    send(out, 3000, false);
    LogEvent trace = TestEvents.event(SWARM, HOST, TestEvents.TS + 9_000_000L, 0, LogStream.STDERR,
        "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)", LogLevel.ERROR);
    out.send(trace);
    awaitRecords(r, 3001);
    List<String[]> records = r.records();
    String[] last = records.stream().filter(f -> f[10].startsWith("java.lang")).findFirst().orElseThrow();
    assertEquals("java.lang.IllegalStateException: boom#012#011at a.B.c(B.java:1)", last[10],
        "one message, its line feed inside (rsyslog shows control characters as #ooo)");
    records.remove(last);
    assertRfc5424(records, 3000);
    Workloads.await("all acknowledged", Duration.ofSeconds(10), () -> acked.size() == 3001);
  }

  @Test
  void rfc5424OverTcpWithNewlineFramingEscapesLineFeeds() throws Exception {
    Rsyslog r = rsyslog(Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.FIELDS));
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG5424)
        .withFraming(Framing.NEWLINE));
    send(out, 500, false);
    out.send(TestEvents.event(SWARM, HOST, TestEvents.TS + 9_000_000L, 0, LogStream.STDERR,
        "first\nsecond", LogLevel.ERROR));
    awaitRecords(r, 501);
    List<String[]> records = r.records();
    String[] ml = records.stream().filter(f -> f[10].startsWith("first")).findFirst().orElseThrow();
    assertEquals("first\\nsecond", ml[10], "the line feed as the two characters \\n");
    records.remove(ml);
    assertRfc5424(records, 500);
  }

  @Test
  void rfc5424OverUdpAndTruncationAtAUtf8Boundary() throws Exception {
    Rsyslog r = rsyslog(Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.FIELDS));
    r.awaitUdp();
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG5424)
        .withTransport(Transport.UDP, Optional.empty(), Optional.empty(), Optional.empty()));
    send(out, 500, true);
    awaitRecords(r, 500);
    assertRfc5424(r.records(), 500);
    LogEvent huge = TestEvents.event(SWARM, HOST, TestEvents.TS, 0, LogStream.STDOUT,
        "\u00e9".repeat(10_000) + " END", LogLevel.INFO);
    out.send(huge);
    awaitRecords(r, 501);
    String big = r.records().get(500)[10];
    String wire = TestEvents.utf8(new io.swarmscope.shipper.output.logstash.Rfc5424Encoder(16, false,
        false).encode(huge));
    int header = wire.indexOf("] ") + 2; // ASCII: characters = bytes
    assertEquals((8192 - header) / 2, big.length(), "cut to 8192 bytes at a character boundary");
    assertTrue(big.chars().allMatch(c -> c == '\u00e9'), "only whole characters: no U+FFFD");
    assertEquals(1, metrics.tagged.labelValues(HOST, "udp_truncated").get());
    assertEquals(501, metrics.shipped.labelValues(HOST, "logstash").get());
  }

  @Test
  void rfc3164OverTcp() throws Exception {
    Rsyslog r = rsyslog(Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.FIELDS));
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG3164));
    send(out, 2000, false);
    awaitRecords(r, 2000);
    assertRfc3164(r.records(), 2000);
  }

  @Test
  void rfc3164OverUdp() throws Exception {
    Rsyslog r = rsyslog(Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.FIELDS));
    r.awaitUdp();
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG3164)
        .withTransport(Transport.UDP, Optional.empty(), Optional.empty(), Optional.empty()));
    send(out, 500, true);
    awaitRecords(r, 500);
    assertRfc3164(r.records(), 500);
  }

  @Test
  void tlsWithAClientCertificate() throws Exception {
    TestCerts certs = TestCerts.create(dir.resolve("certs"));
    Rsyslog r = rsyslog(Rsyslog.tls(dir.resolve("rsyslog"), Rsyslog.freePort(), certs.ca(),
        certs.cert("server"), certs.key("server"), "x509/certvalid"));
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG5424)
        .withTransport(Transport.TLS, Optional.of(certs.ca()), Optional.of(certs.cert("client")),
            Optional.of(certs.key("client"))));
    send(out, 2000, false);
    awaitRecords(r, 2000);
    assertRfc5424(r.records(), 2000);
    assertEquals(0, errors("tls_handshake"));
  }

  @Test
  void aServerThatRequiresAClientCertificateIsNotAcknowledgedWithoutOne() throws Exception {
    TestCerts certs = TestCerts.create(dir.resolve("certs"));
    Rsyslog r = rsyslog(Rsyslog.tls(dir.resolve("rsyslog"), Rsyslog.freePort(), certs.ca(),
        certs.cert("server"), certs.key("server"), "x509/certvalid"));
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG5424)
        .withTransport(Transport.TLS, Optional.of(certs.ca()), Optional.empty(), Optional.empty()));
    send(out, 10, false);
    // TLS 1.3: the client's handshake completes before the server checks (and refuses) the
    // missing certificate; the output must see the refusal before it acknowledges anything.
    Workloads.await("refusals", Duration.ofSeconds(20), () -> errors("tls_handshake") >= 2);
    assertEquals(0, acked.size(), "nothing acknowledged to a server that refuses us");
    assertEquals(0, errors("connection_lost"));
    assertEquals(0, r.records().size());
  }

  @Test
  void tlsRefusesAServerCertificateForAnotherName() throws Exception {
    TestCerts certs = TestCerts.create(dir.resolve("certs"));
    Rsyslog r = rsyslog(Rsyslog.tls(dir.resolve("rsyslog"), Rsyslog.freePort(), certs.ca(),
        certs.cert("wrong"), certs.key("wrong"), "anon"));
    LogstashSettings s = LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.SYSLOG5424)
        .withTransport(Transport.TLS, Optional.of(certs.ca()), Optional.empty(), Optional.empty());
    LogstashOutput out = output(s);
    send(out, 10, false);
    Workloads.await("handshake failures", Duration.ofSeconds(20), () -> errors("tls_handshake") >= 2);
    assertEquals(0, acked.size(), "nothing acknowledged to a server that is not 127.0.0.1");
    assertEquals(0, r.records().size());
    out.close(500);
    outputs.remove(out);
    // The same server with the name check off: the refusal was the name, nothing else.
    LogstashOutput lax = output(s.withVerifyHostname(false));
    send(lax, 10, false);
    awaitRecords(r, 10);
  }

  @Test
  void receiverStoppedAndRestartedMidStream() throws Exception {
    restart(1L << 20);
  }

  @Test
  void receiverStoppedAndRestartedMidStreamWithoutResendWindow() throws Exception {
    restart(0);
  }

  /**
   * 8000 events at about 2000/s; rsyslog is stopped (SIGTERM) once 1500 are acknowledged and
   * started again on the same port 1.5 s later. Every event sent after the restart must arrive;
   * the events missing overall must be at most what the output counted as possibly lost
   * ({@code unconfirmed}); duplicates come only from what it sent again.
   */
  private void restart(long resendBytes) throws Exception {
    int port = Rsyslog.freePort();
    Rsyslog r = rsyslog(Rsyslog.plain(dir, port, Rsyslog.FIELDS));
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", port, Protocol.SYSLOG5424)
        .withResendBytes(resendBytes).withBatching(new BatchPolicy(100, 1 << 20, 5)));
    int n = 8000;
    AtomicInteger sent = new AtomicInteger();
    Thread sender = Thread.ofPlatform().start(() -> {
      try {
        for (int i = 1; i <= n; i++) {
          out.send(event(i));
          sent.set(i);
          if (i % 20 == 0) {
            Thread.sleep(10);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Workloads.await("1500 acknowledged", Duration.ofSeconds(30), () -> acked.size() >= 1500);
    int ackedAtStop = acked.size();
    r.stop();
    int sentAtStop = sent.get();
    Thread.sleep(1_500);
    r.start();
    int sentAtRestart = sent.get();
    sender.join();
    Workloads.await("all acknowledged", Duration.ofSeconds(90), () -> acked.size() == n,
        () -> acked.size() + " of " + n);
    // rsyslog writes in batches: wait until the file stops growing.
    int last = -1;
    for (int i = 0; i < 100 && r.lines().size() != last; i++) {
      last = r.lines().size();
      Thread.sleep(300);
    }
    List<String[]> records = r.records();
    Set<Integer> got = new HashSet<>();
    for (String[] f : records) {
      got.add(number(f[10]));
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (!got.contains(i)) {
        missing.add(i);
      }
    }
    Map<String, Double> m = new HashMap<>();
    for (String reason : List.of("connection_lost", "connect", "write_failed", "resent", "unconfirmed")) {
      m.put(reason, errors(reason));
    }
    System.out.printf("rsyslog restart (resend.bytes=%d): sent %d, acked at stop %d, sent at stop %d,"
        + " sent at restart %d; received %d messages, %d distinct, %d missing %s, %d duplicates; "
        + "metrics %s%n", resendBytes, n, ackedAtStop, sentAtStop, sentAtRestart, records.size(),
        got.size(), missing.size(), missing.size() > 20 ? missing.subList(0, 20) + "..." : missing,
        records.size() - got.size(), m);
    for (int i = sentAtRestart + 1; i <= n; i++) {
      assertTrue(got.contains(i), "event " + i + " was sent after the restart and must have arrived");
    }
    assertTrue(m.get("connection_lost") >= 1, "the break was seen: " + m);
    assertTrue(missing.size() <= m.get("unconfirmed"),
        missing.size() + " missing, more than the " + m.get("unconfirmed") + " counted as possibly lost");
    assertTrue(records.size() - got.size() <= m.get("resent") + m.get("write_failed"),
        "duplicates only from what was sent again: " + m);
  }
}
