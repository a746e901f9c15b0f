package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipper reaches the real engine through a relay that goes down for a while, as the bundle's
 * Docker API proxy or dockerd does when it restarts: the event stream and the log streams break.
 * A container that starts and exits while it is down sends its start event to nobody; it must
 * still be shipped, and the container that logs across the gap must lose and repeat nothing.
 */
class EventStreamGapIT extends ElasticsearchShipperTest {

  @Test
  void aContainerThatRanAndExitedWhileTheEventStreamWasDownIsShipped() throws Exception {
    try (DockerRelay relay = new DockerRelay("/var/run/docker.sock")) {
      List<String> args = shipperArgs(state);
      args.removeIf(a -> a.startsWith("--docker.host="));
      args.add("--docker.host=" + relay.dockerHost());
      try (ShipperUnderTest s = ShipperUnderTest.start(args)) {
        String steady = workloads.start("steady", List.of(), Workloads.numbered("steady", 1500, 10000));
        Workloads.await("the steady container's first lines", Duration.ofMinutes(1),
            () -> Documents.count(es, indices) > 50);

        relay.cut();
        String unseen = workloads.start("unseen", List.of(), Workloads.numbered("unseen", 300, 0));
        workloads.awaitExit(unseen, Duration.ofMinutes(1));
        // Past the watcher's first reconnect attempts: it must find the container on its own.
        Thread.sleep(3000);
        relay.restore();

        workloads.awaitExit(steady, Duration.ofMinutes(2));
        Workloads.await("1800 documents", Duration.ofMinutes(2), () -> Documents.count(es, indices) >= 1800,
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
        assertEquals(1.0, s.metrics().sum("swarmscope_log_containers_found_late_total"),
            "the resync found the unseen container");
      }
    }
  }
}
