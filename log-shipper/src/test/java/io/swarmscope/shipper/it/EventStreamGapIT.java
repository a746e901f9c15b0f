package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipper reaches the real engine through a relay that fails for a while, as the bundle's
 * Docker API proxy or dockerd does when it restarts or hangs: the event stream and the log streams
 * break. A container that starts and exits meanwhile sends its start event to nobody; it must
 * still be shipped, and the container that logs across the trouble must lose and repeat nothing.
 */
class EventStreamGapIT extends ElasticsearchShipperTest {

  @Test
  void aContainerThatRanAndExitedWhileTheEventStreamWasDownIsShipped() throws Exception {
    try (DockerRelay relay = new DockerRelay("/var/run/docker.sock")) {
      acrossTrouble(relay, relay::cut, (s, troubleAt) -> assertEquals(1.0,
          s.metrics().sum("swarmscope_log_containers_found_late_total"), "the resync found the unseen container"));
    }
  }

  /**
   * The engine stops answering: connections are accepted, requests get no reply, and those made
   * then never will. Requests time out ({@code DockerClients.REQUEST_TIMEOUT}, 30 s) and are made
   * again on new connections; without the timeout the watcher, the resync and the steady
   * container's follower each wait on their stalled request forever.
   */
  @Test
  void aDockerThatStopsAnsweringHoldsTheShipperUpOnlyUntilItsRequestsTimeOut() throws Exception {
    try (DockerRelay relay = new DockerRelay("/var/run/docker.sock")) {
      acrossTrouble(relay, relay::stall, (s, troubleAt) -> {
        // The watcher's own stalled request ends with its timeout too: it reconnects and resyncs.
        Workloads.await("swarmscope_docker_up 1 again", Duration.ofMinutes(2),
            () -> s.metrics().sum("swarmscope_docker_up") == 1.0, () -> s.metrics().text());
        assertTrue(s.metrics().sum("swarmscope_docker_last_resync_timestamp_seconds") > troubleAt,
            "a resync after the stall");
      });
    }
  }

  /**
   * A steady container logs across {@code trouble}, which starts once its first lines are in; an
   * unseen one runs and exits during it; 3 s after that the relay is restored. Every line of both
   * must arrive once; then {@code after} checks the shipper, given when the trouble began (epoch s).
   */
  private void acrossTrouble(DockerRelay relay, Runnable trouble,
      BiConsumer<ShipperUnderTest, Double> after) throws Exception {
    List<String> args = shipperArgs(state);
    args.removeIf(a -> a.startsWith("--docker.host="));
    args.add("--docker.host=" + relay.dockerHost());
    try (ShipperUnderTest s = ShipperUnderTest.start(args)) {
      String steady = workloads.start("steady", List.of(), Workloads.numbered("steady", 1500, 10000));
      Workloads.await("the steady container's first lines", Duration.ofMinutes(1),
          () -> Documents.count(es, indices) > 50);

      double troubleAt = System.currentTimeMillis() / 1000.0;
      trouble.run();
      String unseen = workloads.start("unseen", List.of(), Workloads.numbered("unseen", 300, 0));
      workloads.awaitExit(unseen, Duration.ofMinutes(1));
      // Past the watcher's first reconnect attempts: it must find the container on its own.
      Thread.sleep(3000);
      relay.restore();

      workloads.awaitExit(steady, Duration.ofMinutes(2));
      Workloads.await("1800 documents", Duration.ofMinutes(3), () -> Documents.count(es, indices) >= 1800,
          () -> Documents.count(es, indices) + " documents; shipper metrics:\n" + s.metrics().text());
      Map<String, Long> perLine = Documents.messages(es, indices).stream()
          .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
      for (int i = 1; i <= 1500; i++) {
        assertEquals(1L, perLine.getOrDefault("steady " + i, 0L), "steady " + i);
      }
      for (int i = 1; i <= 300; i++) {
        assertEquals(1L, perLine.getOrDefault("unseen " + i, 0L), "unseen " + i);
      }
      assertEquals(1800, perLine.values().stream().mapToLong(Long::longValue).sum(), "documents in all");
      after.accept(s, troubleAt);
    }
  }
}
