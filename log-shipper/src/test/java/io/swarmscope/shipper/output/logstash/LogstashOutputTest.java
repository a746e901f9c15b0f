package io.swarmscope.shipper.output.logstash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.QueuedOutput.BatchPolicy;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Protocol;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The TCP sender against an in-process receiver: order, acknowledgements, breaks, absence. */
class LogstashOutputTest {

  private static final ContainerIdentity C = TestEvents.plainContainer(TestEvents.ID, "web");
  private final ShipperMetrics metrics = new ShipperMetrics(new PrometheusRegistry());
  private final List<LogEvent> acked = new CopyOnWriteArrayList<>();

  private LogstashOutput output(LogstashSettings s) throws Exception {
    LogstashOutput o = new LogstashOutput(s, 4L << 20, (name, e) -> acked.add(e), metrics, "node-1");
    o.start();
    return o;
  }

  private double errors(String reason) {
    return metrics.outputErrors.labelValues("node-1", "logstash", reason).get();
  }

  @Test
  void jsonLinesArriveInOrderAndAreAcknowledgedInOrder() throws Exception {
    try (TcpReceiver rx = new TcpReceiver()) {
      LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", rx.port(), Protocol.JSON));
      List<LogEvent> sent = new ArrayList<>();
      for (int i = 1; i <= 5000; i++) {
        LogEvent e = TestEvents.numbered(C, "node-1", i, "line");
        sent.add(e);
        out.send(e);
      }
      await(() -> acked.size() == 5000 && rx.lines().size() == 5000);
      out.close(2_000);
      assertEquals(sent, acked);
      List<String> lines = rx.lines();
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(TestEvents.utf8(sent.get(i).document()), lines.get(i));
      }
      assertEquals(5000, metrics.shipped.labelValues("node-1", "logstash").get());
      assertEquals(1, rx.connectionCount());
    }
  }

  @Test
  void aConnectionResetMidStreamIsRepairedOnTheNextConnection() throws Exception {
    try (TcpReceiver rx = new TcpReceiver().resetFirstConnectionAfter(300_000)) {
      LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", rx.port(), Protocol.SYSLOG5424)
          .withBatching(new BatchPolicy(500, 1 << 20, 5)));
      int n = 20_000;
      List<LogEvent> sent = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        LogEvent e = TestEvents.numbered(C, "node-1", i, "line");
        sent.add(e);
        out.send(e);
      }
      await(() -> acked.size() == n);
      await(() -> distinct(rx.octetFrames()).size() == n);
      out.close(2_000);
      List<String> frames = rx.octetFrames();
      Set<Integer> got = distinct(frames);
      assertEquals(n, got.size(), "every event arrived at least once");
      assertEquals(2, rx.connectionCount());
      assertEquals(1, errors("connection_lost"));
      int duplicates = frames.size() - got.size();
      System.out.printf("reset after 300000 bytes: %d frames, %d distinct, %d duplicates, resent %.0f,"
          + " write_failed %.0f%n", frames.size(), got.size(), duplicates, errors("resent"),
          errors("write_failed"));
      assertTrue(duplicates <= errors("resent") + errors("write_failed"),
          "duplicates come only from what was sent again");
      assertEquals(sent, acked, "each acknowledged once, in order");
    }
  }

  @Test
  void waitsForAReceiverThatIsNotThereYetWithoutAcknowledging() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LogstashOutput out = output(LogstashSettings.tcp("127.0.0.1", port, Protocol.SYSLOG3164));
    for (int i = 1; i <= 100; i++) {
      out.send(TestEvents.numbered(C, "node-1", i, "early"));
    }
    Thread.sleep(1_800);
    assertEquals(0, acked.size(), "nothing is acknowledged while nobody listens");
    assertTrue(errors("connect") >= 2, "attempts with backoff: " + errors("connect"));
    try (TcpReceiver rx = new TcpReceiver(port)) {
      await(() -> acked.size() == 100 && rx.octetFrames().size() == 100);
      out.close(2_000);
      assertTrue(rx.octetFrames().get(99).endsWith("web[3f2a9c1b7d4e]: early 100"), rx.octetFrames().get(99));
    }
  }

  static Set<Integer> distinct(List<String> messages) {
    Pattern p = Pattern.compile("(?:line|early) (\\d+)$");
    Set<Integer> s = new HashSet<>();
    for (String m : messages) {
      Matcher mm = p.matcher(m);
      if (mm.find()) {
        s.add(Integer.parseInt(mm.group(1)));
      }
    }
    return s;
  }

  static void await(BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
