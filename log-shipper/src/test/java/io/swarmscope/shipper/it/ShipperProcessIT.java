package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packaged shipper as its own process against the real engine and Elasticsearch, through
 * what kills peers: SIGKILL mid-stream, again and again; Elasticsearch gone for two minutes.
 */
class ShipperProcessIT extends ElasticsearchShipperTest {


  private List<String> args() {
    return shipperArgs(state.resolve("checkpoints"));
  }

  private void assertExactlyOnce(String prefix, int n) {
    List<String> messages = Documents.messages(es, indices);
    Set<String> distinct = new HashSet<>(messages);
    assertEquals(messages.size(), distinct.size(), "duplicates stored");
    List<Integer> missing = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (!distinct.contains(prefix + " " + i)) {
        missing.add(i);
      }
    }
    assertEquals(List.of(), missing.size() > 20 ? missing.subList(0, 20) : missing, "lines lost");
    assertEquals(n, messages.size());
  }

  @Test
  void sigkillRepeatedlyMidStreamLosesAndDuplicatesNothing() throws Exception {
    int n = 8000;
    Path log = state.resolve("shipper.log");
    String id = workloads.start("killed", List.of(), Workloads.numbered("line", n, 500));
    Random random = new Random(42);
    int kills = 0;
    double suppressed = 0;
    for (int round = 0; round < 6; round++) {
      ShipperProcess p = ShipperProcess.start(args(), log);
      Workloads.await("shipper up", Duration.ofMinutes(1), p::answers);
      Thread.sleep(1000 + random.nextInt(2500));
      suppressed += p.metrics().sum("swarmscope_log_duplicates_suppressed_total");
      p.kill();
      kills++;
    }
    try (ShipperProcess p = ShipperProcess.start(args(), log)) {
      workloads.awaitExit(id, Duration.ofMinutes(5));
      Workloads.await(n + " lines", Duration.ofMinutes(3), () -> Documents.count(es, indices) >= n);
      Thread.sleep(3000);
      suppressed += p.metrics().sum("swarmscope_log_duplicates_suppressed_total");
      assertExactlyOnce("line", n);
    }
    assertEquals(6, kills);
    // Killed between an acknowledged bulk and the next checkpoint write, a shipper re-sends lines:
    // Elasticsearch refuses them (409) instead of storing them twice. Seen here, not required.
    System.out.println("SIGKILL test: " + kills + " kills, " + suppressed + " re-sent lines refused as duplicates");
  }

  @Test
  void elasticsearchDownForTwoMinutesLosesNothingAndMemoryStaysFlat() throws Exception {
    int n = 30_000;
    Path log = state.resolve("shipper.log");
    List<String> args = args();
    args.add("--queue.bytes=2m");
    String id = workloads.start("outage", List.of(), Workloads.numbered("line", n, 4000));
    try (ShipperProcess p = ShipperProcess.start(args, log)) {
      Workloads.await("first lines", Duration.ofMinutes(1), () -> Documents.count(es, indices) > 100);
      long rssBefore = p.rssKib();
      es.stop();
      long maxRss = rssBefore;
      double maxQueue = 0;
      long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < end) {
        Thread.sleep(5000);
        maxRss = Math.max(maxRss, p.rssKib());
        maxQueue = Math.max(maxQueue, p.metrics().sum("swarmscope_output_queue_bytes"));
      }
      double lag = p.metrics().sum("swarmscope_log_lag_seconds");
      double errors = p.metrics().sum("swarmscope_output_errors_total");
      es.start();
      workloads.awaitExit(id, Duration.ofMinutes(5));
      Workloads.await(n + " lines", Duration.ofMinutes(5), () -> Documents.count(es, indices) >= n);
      Thread.sleep(3000);
      System.out.printf("outage test: RSS before %d KiB, max during outage %d KiB; max queue %.0f bytes;"
          + " lag at the end of the outage %.1f s; output errors %.0f%n", rssBefore, maxRss, maxQueue, lag, errors);
      assertExactlyOnce("line", n);
      assertTrue(maxQueue <= 2 * 1024 * 1024 + 64 * 1024, "queue stayed within its bound: " + maxQueue);
      assertTrue(lag > 60, "lag showed the outage: " + lag);
      assertTrue(errors > 0, "output errors counted");
      assertTrue(maxRss < rssBefore + 48 * 1024, "RSS flat: " + rssBefore + " -> " + maxRss + " KiB");
    }
  }
}
