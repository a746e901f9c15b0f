package io.swarmscope.shipper.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.it.ElasticsearchNode;
import io.swarmscope.shipper.it.Workloads;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.QueuedOutput.BatchPolicy;
import io.swarmscope.shipper.output.logstash.TestEvents;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across the boundary where a data stream would roll over, on the real (minimal)
 * Elasticsearch 9 node: lines with timestamps either side of midnight UTC go to the daily index
 * of their own day, and the whole batch sent again (an acknowledgement lost to a crash before the
 * checkpoint was written, replayed by a new output) is refused line by line as duplicates. The
 * index is a function of the line, not of the time of sending, so there is no clock to turn: the
 * replay may happen any day after.
 *
 * <p>The second test shows on the same node why it matters: a data stream takes the same
 * {@code create} a second time once it rolled over to a new write index.
 */
class ExactlyOnceAcrossMidnightIT {

  private static final String NODE = "node-1";
  /** 2026-12-01T23:59:59Z: the lines start one second before midnight. */
  private static final long BEFORE_MIDNIGHT = Instant.parse("2026-12-01T23:59:59Z").getEpochSecond()
      * 1_000_000_000L;
  private static ElasticsearchNode es;

  @BeforeAll
  static void elasticsearch() throws Exception {
    es = ElasticsearchNode.shared();
    new IndexSetup(es.client()).run();
  }

  /** {@code n} lines, two per timestamp 5 ms apart, from one second before midnight: 400 per second. */
  private static List<LogEvent> linesAcrossMidnight(ContainerIdentity c, int n) {
    List<LogEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // two lines share each timestamp, as Docker's do when a process writes fast: ordinals 0, 1
      long ts = BEFORE_MIDNIGHT + (i / 2) * 5_000_000L;
      out.add(TestEvents.event(c, NODE, ts, i % 2, LogStream.STDOUT, "line " + i, LogLevel.INFO));
    }
    return out;
  }

  /** Sends every event through a new Elasticsearch output and waits until each is acknowledged. */
  private static ShipperMetrics ship(DailyIndex index, List<LogEvent> events) throws Exception {
    ShipperMetrics metrics = new ShipperMetrics(new PrometheusRegistry());
    AtomicInteger acked = new AtomicInteger();
    ElasticsearchOutput out = new ElasticsearchOutput(es.client(), index, 16L << 20,
        new BatchPolicy(150, 5L << 20, 50), 1, (o, e) -> acked.incrementAndGet(), metrics, NODE);
    out.start();
    try {
      for (LogEvent e : events) {
        out.send(e);
      }
      Workloads.await(events.size() + " acknowledgements", Duration.ofMinutes(2),
          () -> acked.get() == events.size(), () -> acked.get() + " acknowledged");
    } finally {
      out.close(5_000);
    }
    return metrics;
  }

  @Test
  void aReplayAcrossMidnightIsRefusedLineByLine() throws Exception {
    String prefix = "swarmscope-logs-midnight-" + UUID.randomUUID().toString().substring(0, 8);
    DailyIndex index = new DailyIndex(prefix);
    ContainerIdentity c = TestEvents.plainContainer("d".repeat(64), "midnight");
    List<LogEvent> lines = linesAcrossMidnight(c, 800);
    long before = lines.stream().filter(e -> e.record().first().timestampNanos()
        < BEFORE_MIDNIGHT + 1_000_000_000L).count();
    assertEquals(400, before, "the fixture straddles midnight");

    ShipperMetrics first = ship(index, lines);
    assertEquals(800, first.shipped.labelValues(NODE, "elasticsearch").get());
    assertEquals(0, first.duplicates.labelValues(NODE, "elasticsearch").get());

    // The acknowledgements were lost (crash before the checkpoint): everything comes again.
    ShipperMetrics replay = ship(index, lines);
    assertEquals(0, replay.shipped.labelValues(NODE, "elasticsearch").get(), "nothing stored twice");
    assertEquals(800, replay.duplicates.labelValues(NODE, "elasticsearch").get(),
        "every re-sent line refused as a duplicate (409)");

    assertEquals(400, es.count(prefix + "-2026.12.01"), "the lines before midnight in their day");
    assertEquals(400, es.count(prefix + "-2026.12.02"), "the lines after midnight in theirs");
    assertEquals(800, es.count(index.pattern()), "exactly once");
    HashSet<String> ids = new HashSet<>();
    es.search(index.pattern(), "{\"size\":1000,\"_source\":false}").path("hits").path("hits")
        .forEach(h -> ids.add(h.path("_id").asText()));
    assertEquals(800, ids.size());
    assertTrue(ids.contains(c.id() + "-" + BEFORE_MIDNIGHT + "-1"), ids.iterator().next());
  }

  @Test
  void aDataStreamStoresTheSameCreateTwiceAfterARollover() {
    String stream = "logs-ship9contrast-" + UUID.randomUUID().toString().substring(0, 8);
    es.request("PUT", "/_index_template/" + stream, "{\"index_patterns\":[\"" + stream + "\"],"
        + "\"data_stream\":{},\"priority\":500,\"template\":{\"settings\":{\"number_of_replicas\":0}}}")
        .requireOk();
    String bulk = "{\"create\":{\"_id\":\"same-line\"}}\n"
        + "{\"@timestamp\":\"2026-12-01T23:59:59Z\",\"message\":\"x\"}\n";
    try {
      es.request("POST", "/" + stream + "/_bulk", bulk).requireOk();
      String again = es.request("POST", "/" + stream + "/_bulk", bulk).requireOk().body();
      assertTrue(again.contains("\"status\":409"), "before a rollover the id is refused: " + again);
      es.request("POST", "/" + stream + "/_rollover", null).requireOk();
      String afterRollover = es.request("POST", "/" + stream + "/_bulk", bulk).requireOk().body();
      assertTrue(afterRollover.contains("\"status\":201"), afterRollover);
      assertEquals(2, es.count(stream), "the data stream stored the line twice");
    } finally {
      es.request("DELETE", "/_index_template/" + stream, null);
    }
  }
}
