package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.logstash.LogstashOutput;
import io.swarmscope.shipper.output.logstash.LogstashSettings;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Protocol;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Transport;
import io.swarmscope.shipper.output.logstash.Rsyslog;
import io.swarmscope.shipper.output.logstash.TcpReceiver;
import io.swarmscope.shipper.output.logstash.TestEvents;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON lines, what the bundle's Logstash pipeline reads ({@code tcp} input, {@code json_lines}
 * codec; no Logstash can be run here): to a real rsyslog writing the raw messages (each line
 * arrives as the exact ECS document), over UDP (one document per datagram; an oversize one is
 * dropped and counted), and against a receiver that stops reading: the output blocks, its queue
 * stays within its bound, and everything arrives in order once the receiver reads again.
 */
class JsonLinesIT {

  private static final String HOST = "node-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ContainerIdentity C = TestEvents.swarmContainer();
  private final ShipperMetrics metrics = new ShipperMetrics(new PrometheusRegistry());
  private final List<LogEvent> acked = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Path dir;

  @BeforeEach
  void setUp() {
    dir = Path.of("target", "jsonlines-it", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
  }

  private LogstashOutput output(LogstashSettings s, long queueBytes) throws Exception {
    LogstashOutput o = new LogstashOutput(s, queueBytes, (name, e) -> acked.add(e), metrics, HOST);
    closing.add(() -> o.close(1_000));
    o.start();
    return o;
  }

  private static LogEvent event(int i) {
    return TestEvents.event(C, HOST, TestEvents.TS + i * 1_000L, 0, LogStream.STDOUT,
        i % 10 == 0 ? "Exception " + i + "\n\tat a.B(B.java:" + i + ")" : "json line " + i,
        i % 10 == 0 ? LogLevel.ERROR : LogLevel.INFO);
  }

  @Test
  void everyDocumentArrivesAsOneLineAtARealReceiver() throws Exception {
    Rsyslog.require();
    Rsyslog r = Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.RAW);
    closing.add(r);
    r.start();
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.JSON), 4L << 20);
    List<LogEvent> sent = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      LogEvent e = event(i);
      sent.add(e);
      out.send(e);
    }
    Workloads.await("3000 lines at rsyslog", Duration.ofSeconds(60), () -> lines(r).size() >= 3000);
    List<String> lines = lines(r);
    assertEquals(3000, lines.size());
    for (int i = 0; i < 3000; i++) {
      assertEquals(TestEvents.utf8(sent.get(i).document()), lines.get(i));
    }
    JsonNode tenth = JSON.readTree(lines.get(9));
    assertEquals("Exception 10\n\tat a.B(B.java:10)", tenth.path("message").asText());
    assertEquals("error", tenth.path("log").path("level").asText());
    assertEquals("shop_api", tenth.path("swarm").path("service").asText());
    Workloads.await("all acknowledged", Duration.ofSeconds(10), () -> acked.size() == 3000);
    assertEquals(sent, acked);
  }

  @Test
  void oneDocumentPerDatagramOverUdp() throws Exception {
    Rsyslog.require();
    Rsyslog r = Rsyslog.plain(dir, Rsyslog.freePort(), Rsyslog.RAW);
    closing.add(r);
    r.start();
    r.awaitUdp();
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", r.port(), Protocol.JSON)
        .withTransport(Transport.UDP, Optional.empty(), Optional.empty(), Optional.empty())
        .withUdpMaxBytes(4096), 4L << 20);
    for (int i = 1; i <= 300; i++) {
      out.send(event(i));
      if (i % 50 == 0) {
        Thread.sleep(20);
      }
    }
    out.send(TestEvents.event(C, HOST, TestEvents.TS, 0, LogStream.STDOUT, "x".repeat(5000),
        LogLevel.INFO));
    Workloads.await("300 datagrams at rsyslog", Duration.ofSeconds(30), () -> lines(r).size() >= 300);
    Workloads.await("all done", Duration.ofSeconds(10), () -> acked.size() == 301);
    List<String> lines = lines(r);
    assertEquals(300, lines.size());
    for (String l : lines) {
      JsonNode doc = JSON.readTree(l);
      assertTrue(doc.path("message").asText().matches("json line \\d+|Exception \\d+\n\tat .*"), l);
    }
    assertEquals(300, metrics.shipped.labelValues(HOST, "logstash").get());
    assertEquals(1, metrics.dropped.labelValues("shop", "shop_api", HOST, "udp_oversize").get(),
        "the 5000-byte document does not fit a 4096-byte datagram: dropped and counted");
  }

  /**
   * A receiver that stops reading (Logstash with a full pipeline): the sender blocks, the queue
   * stays within its bound. 11 s later the receiver is killed (connection reset), losing what
   * the kernel buffers held, and a new one reads: every event not acknowledged at the reset
   * arrives, the missing ones are at most what the output counted as possibly lost
   * ({@code unconfirmed}: written in the 10 s before the stall began and not sent again).
   */
  @Test
  void aReceiverThatStopsReadingAndDiesAfterALongStall() throws Exception {
    long queueBytes = 256 * 1024;
    try (TcpReceiver rx = new TcpReceiver()) {
      rx.reading(false);
      LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", rx.port(), Protocol.JSON), queueBytes);
      int n = 100_000;
      AtomicInteger sent = new AtomicInteger();
      List<LogEvent> events = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        events.add(event(i));
      }
      Thread sender = Thread.ofPlatform().start(() -> {
        try {
          for (LogEvent e : events) {
            out.send(e);
            sent.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      // Wait until the sender is stuck: nothing more accepted for 2 s.
      int before;
      do {
        before = sent.get();
        Thread.sleep(2_000);
      } while (sent.get() != before && sent.get() < n);
      long stuck = System.nanoTime();
      int stuckAt = sent.get();
      long queued = out.queuedBytes();
      int ackedWhileStuck = acked.size();
      long weight = events.get(0).weight();
      System.out.printf("receiver not reading: sender blocked after %d of %d events; queue %d bytes "
          + "(bound %d); %d acknowledged (in the kernel's socket buffers and Netty's 256 KiB)%n",
          stuckAt, n, queued, queueBytes, ackedWhileStuck);
      assertTrue(stuckAt < n, "the sender must block");
      assertTrue(queued <= queueBytes + 2 * weight, "queue within its bound: " + queued);
      assertTrue((long) (stuckAt - ackedWhileStuck) * weight <= queueBytes + 2L * 1024 * 1024,
          "not acknowledged = in the queue, the batch being written and Netty's buffer");
      Thread.sleep(Math.max(0, 11_000 - (System.nanoTime() - stuck) / 1_000_000));
      int ackedAtReset = acked.size();
      assertEquals(ackedWhileStuck, ackedAtReset, "nothing moves while the receiver does not read");
      rx.resetConnections();
      rx.reading(true);
      sender.join(60_000);
      Workloads.await("all acknowledged", Duration.ofSeconds(60), () -> acked.size() == n);
      assertEquals(events, acked, "each acknowledged once, in order");
      java.util.Map<String, Integer> index = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        index.put(TestEvents.utf8(events.get(i).document()), i);
      }
      Workloads.await("the rest received", Duration.ofSeconds(60), () -> {
        java.util.Set<Integer> got = new java.util.HashSet<>();
        for (String l : rx.lines()) {
          got.add(index.getOrDefault(l, -1));
        }
        for (int i = ackedAtReset; i < n; i++) {
          if (!got.contains(i)) {
            return false;
          }
        }
        return true;
      });
      List<String> lines = rx.lines();
      java.util.Set<Integer> got = new java.util.HashSet<>();
      for (String l : lines) {
        Integer i = index.get(l);
        assertTrue(i != null, "an exact document: " + l);
        got.add(i);
      }
      int missing = n - got.size();
      double unconfirmed = metrics.outputErrors.labelValues(HOST, "logstash", "unconfirmed").get();
      double resent = metrics.outputErrors.labelValues(HOST, "logstash", "resent").get();
      double writeFailed = metrics.outputErrors.labelValues(HOST, "logstash", "write_failed").get();
      System.out.printf("receiver killed after an 11 s stall: %d acknowledged before, %d lines "
          + "received, %d distinct, %d missing, %d duplicates; resent %.0f, unconfirmed %.0f, "
          + "write_failed %.0f%n", ackedAtReset, lines.size(), got.size(), missing,
          lines.size() - got.size(), resent, unconfirmed, writeFailed);
      assertTrue(missing <= unconfirmed, missing + " missing, more than the " + unconfirmed
          + " counted as possibly lost");
      assertTrue(resent > 0, "the last 1 MiB before the stall was sent again");
      assertTrue(lines.size() - got.size() <= resent + writeFailed);
    }
  }

  private static List<String> lines(Rsyslog r) {
    try {
      return r.lines();
    } catch (Exception e) {
      return List.of();
    }
  }
}
