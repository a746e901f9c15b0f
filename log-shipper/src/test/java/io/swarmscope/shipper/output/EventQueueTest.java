package io.swarmscope.shipper.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.output.logstash.TestEvents;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output queue's bound and its fairness between containers. */
class EventQueueTest {

  private static final ContainerIdentity NOISY = TestEvents.plainContainer("a".repeat(64), "noisy");
  private static final ContainerIdentity QUIET = TestEvents.plainContainer("b".repeat(64), "quiet");
  private static final ContainerIdentity OTHER = TestEvents.plainContainer("c".repeat(64), "other");

  /** Events of equal weight: {@code <name> <i>}, the number zero-padded to three digits. */
  private static LogEvent line(ContainerIdentity c, int i) {
    return TestEvents.event(c, "node-1", TestEvents.TS + i * 1_000L, 0, LogStream.STDOUT,
        String.format("%s %03d", c.name(), i), LogLevel.INFO);
  }

  private static List<String> drain(EventQueue q, int max) throws InterruptedException {
    List<LogEvent> batch = new ArrayList<>();
    q.drainTo(batch, max, Long.MAX_VALUE, 0, 0);
    return batch.stream().map(e -> e.parsed().message()).toList();
  }

  @Test
  void containersAreServedInTurnAndEachInItsOwnOrder() throws Exception {
    EventQueue q = new EventQueue(1 << 20);
    for (int i = 1; i <= 5; i++) {
      q.put(line(NOISY, i));
    }
    q.put(line(QUIET, 1));
    q.put(line(QUIET, 2));
    q.put(line(OTHER, 1));
    assertEquals(List.of("noisy 001", "quiet 001", "other 001", "noisy 002", "quiet 002", "noisy 003"), drain(q, 6));
    assertEquals(List.of("noisy 004", "noisy 005"), drain(q, 10));
    assertEquals(0, q.size());
    assertEquals(0, q.bytes());
  }

  @Test
  void aFloodFillsTheBoundButAQuietContainerStillGetsInAtOnce() throws Exception {
    int w = line(NOISY, 1).weight();
    EventQueue q = new EventQueue(100L * w);
    int i = 0;
    while (q.offer(line(NOISY, ++i), 0)) {
      // the flood takes all the room there is
    }
    assertEquals(100, q.size(), "the flood is held at the bound");
    assertFalse(q.offer(line(NOISY, i), 0));
    // a container far below its share uses the reserve (a quarter of the bound)
    for (int n = 1; n <= 12; n++) {
      assertTrue(q.offer(line(QUIET, n), 0), "quiet line " + n + " waits for nobody");
      assertTrue(q.offer(line(OTHER, n), 0), "other line " + n);
    }
    // ... up to the reserve, and never beyond its share
    assertFalse(q.offer(line(QUIET, 13), 0) && q.offer(line(OTHER, 13), 0) && q.offer(line(QUIET, 14), 0),
        "the reserve is bounded");
    assertTrue(q.bytes() <= 125L * w, "at most 1.25 x the bound: " + q.bytes() / w + " events");
    // the quiet lines are in the next batch, not behind a hundred flood lines
    List<String> next = drain(q, 30);
    assertEquals("quiet 001", next.get(1));
    assertEquals("other 001", next.get(2));
    assertTrue(next.contains("quiet 010") && next.contains("other 010"), next.toString());
  }

  @Test
  void oneEventIsAlwaysAcceptedIntoAnEmptyQueueAndHasRoomIsHalf() throws Exception {
    EventQueue q = new EventQueue(10);
    assertTrue(q.offer(line(NOISY, 1), 0), "bigger than the bound, but the queue is empty");
    assertFalse(q.hasRoom());
    assertFalse(q.offer(line(NOISY, 2), 0));
    drain(q, 1);
    assertTrue(q.hasRoom());
  }
}
