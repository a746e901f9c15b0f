package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmscope.shipper.output.logstash.TcpReceiver;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch and Logstash (JSON lines over TCP) at once, each with its own checkpoint: a dead
 * Logstash holds Elasticsearch back by at most the block timeout, and catches up by itself once
 * it is back, from its own position.
 */
class MultiOutputIT extends ElasticsearchShipperTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void deadLogstashDoesNotHoldBackElasticsearchAndCatchesUpWhenBack() throws Exception {
    int n = 3000;
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> args = shipperArgs(state);
    args.removeIf(a -> a.startsWith("--outputs="));
    args.addAll(List.of("--outputs=elasticsearch,logstash", "--logstash.address=127.0.0.1:" + port,
        "--logstash.protocol=json", "--queue.bytes=64k", "--output.block.ms=2000"));
    try (ShipperUnderTest s = ShipperUnderTest.start(args)) {
      String id = workloads.start("multi", List.of(), Workloads.numbered("line", n, 0));
      workloads.awaitExit(id, Duration.ofMinutes(1));
      // Logstash is down all along: Elasticsearch still gets everything.
      Workloads.await(n + " lines in Elasticsearch", Duration.ofMinutes(2),
          () -> Documents.count(es, indices) >= n, () -> s.metrics().text());
      assertEquals(n, new HashSet<>(Documents.messages(es, indices)).size());
      assertTrue(s.metrics().sum("swarmscope_output_errors_total", "reason=\"detached_slow\"") >= 1,
          "the full Logstash queue was detached");
      assertTrue(s.metrics().sum("swarmscope_log_events_shipped_total", "output=\"elasticsearch\"") >= n);

      try (TcpReceiver logstash = new TcpReceiver(port)) {
        Workloads.await("Logstash caught up", Duration.ofMinutes(3),
            () -> numbers(logstash).size() == n, () -> numbers(logstash).size() + " distinct lines");
        Set<String> got = numbers(logstash);
        for (int i = 1; i <= n; i++) {
          assertTrue(got.contains("line " + i), "line " + i + " reached Logstash");
        }
      }
      assertEquals(n, Documents.count(es, indices), "the catch-up re-read sent nothing twice to Elasticsearch");
    }
  }

  /** The distinct messages of the JSON lines the receiver got (at least once: repeats allowed). */
  private static Set<String> numbers(TcpReceiver r) {
    Set<String> out = new HashSet<>();
    for (String line : r.lines()) {
      try {
        JsonNode doc = JSON.readTree(line);
        out.add(doc.path("message").asText());
      } catch (Exception e) {
        // a line cut by a reconnect: the re-send delivers it whole
      }
    }
    return out;
  }
}
