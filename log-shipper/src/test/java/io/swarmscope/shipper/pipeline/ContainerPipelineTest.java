package io.swarmscope.shipper.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.Output;
import io.swarmscope.shipper.docker.DockerLogDecoder;
import io.swarmscope.shipper.docker.LogRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pipeline's positions, resume skipping and output detaching, on recorded line sequences. */
class ContainerPipelineTest {

  private static final String ID = "c".repeat(64);
  private final AtomicLong clock = new AtomicLong();
  private final ShipperMetrics metrics = new ShipperMetrics(new PrometheusRegistry());
  private final PipelineSettings settings = new PipelineSettings(1024, false, Optional.empty(),
      Duration.ofMillis(500), 500, 512 * 1024, Duration.ofMillis(1));

  /** An output that records what it is sent and can be made to refuse (a full queue). */
  static class Recording implements Output {
    final String name;
    final List<LogEvent> got = new ArrayList<>();
    boolean full;

    Recording(String name) {
      this.name = name;
    }

    @Override public String name() { return name; }
    @Override public void send(LogEvent e) { got.add(e); }
    @Override public boolean offer(LogEvent e, long timeoutNanos) {
      if (full) {
        return false;
      }
      got.add(e);
      return true;
    }
    @Override public boolean hasRoom() { return !full; }
    @Override public long queuedBytes() { return 0; }
    @Override public void start() { }
    @Override public void close(long graceMillis) { }

    List<String> messages() {
      return got.stream().map(e -> e.parsed().message()).toList();
    }
  }

  private ContainerPipeline pipeline(List<Output> outputs, Map<String, LogPosition> checkpoints) {
    ContainerIdentity c = new ContainerIdentity(ID, "/app", "img:1",
        Map.of(ContainerIdentity.SERVICE_NAME, "shop_api", ContainerIdentity.STACK_NAMESPACE, "shop"));
    return new ContainerPipeline(new ContainerTrack(c), "node-1", outputs, checkpoints, settings,
        metrics, clock::get);
  }

  private static void feed(ContainerPipeline p, long ts, String... lines) throws InterruptedException {
    for (String l : lines) {
      byte[] b = l.getBytes(StandardCharsets.UTF_8);
      p.line(LogStream.STDOUT, ts, b, 0, b.length, b.length);
    }
  }

  @Test
  void linesSharingATimestampGetOrdinalsAndDistinctIds() throws Exception {
    Recording out = new Recording("es");
    ContainerPipeline p = pipeline(List.of(out), Map.of());
    p.beginStream();
    feed(p, 100, "a", "b");
    feed(p, 200, "c");
    p.endOfLog();
    assertEquals(List.of("a", "b", "c"), out.messages());
    assertEquals(ID + "-100-0", out.got.get(0).id());
    assertEquals(ID + "-100-1", out.got.get(1).id());
    assertEquals(ID + "-200-0", out.got.get(2).id());
    assertEquals(new LogPosition(100, 1), out.got.get(1).record().last());
  }

  @Test
  void lagDrainsWhenTheOutputAcknowledgesBeforeSendReturns() throws Exception {
    ContainerTrack[] track = new ContainerTrack[1];
    Recording out = new Recording("null") {
      @Override public void send(LogEvent e) {
        super.send(e);
        track[0].acked("null");  // as the null and stdout outputs may, from their own thread
      }
    };
    ContainerPipeline p = pipeline(List.of(out), Map.of());
    track[0] = p.track();
    p.beginStream();
    feed(p, 100, "a", "b", "c");
    p.endOfLog();
    assertEquals(3, out.got.size());
    assertEquals(0, p.track().pendingEvents());
    assertEquals(0.0, p.track().lagSeconds(1_000_000_000_000L));
  }

  @Test
  void aResumedStreamSkipsWhatTheCheckpointCoversEvenWithinOneTimestamp() throws Exception {
    Recording out = new Recording("es");
    // acknowledged up to the second line at t=100; Docker re-sends every line with ts >= since
    ContainerPipeline p = pipeline(List.of(out), Map.of("es", new LogPosition(100, 1)));
    p.beginStream();
    feed(p, 100, "a", "b", "c");
    feed(p, 300, "d");
    p.endOfLog();
    assertEquals(List.of("c", "d"), out.messages());
    assertEquals(ID + "-100-2", out.got.get(0).id(), "same id as on the first read");
    assertEquals(-1, p.rotationGapNanos(), "the checkpoint's line was still there");
  }

  /** One line of a recorded body: its stream, Docker timestamp and bytes, in file order. */
  record Recorded(LogStream stream, long ts, byte[] text) {}

  /**
   * {@code logs-interleaved.bin}: recorded from the real engine (Docker 20.10, json-file), a
   * busybox that wrote {@code out i} to stdout and {@code err i} to stderr for i = 1..3000. The two
   * streams are copied by separate goroutines, so the file is not in timestamp order: 49 lines
   * are older than a line before them (by up to about a millisecond).
   */
  static List<Recorded> interleaved() throws Exception {
    byte[] body;
    try (var in = ContainerPipelineTest.class.getResourceAsStream("/docker/logs-interleaved.bin")) {
      body = in.readAllBytes();
    }
    List<Recorded> lines = new ArrayList<>();
    new DockerLogDecoder(1024).readMultiplexed(new ByteArrayInputStream(body),
        (stream, ts, buf, off, len, total) -> lines.add(new Recorded(stream, ts, Arrays.copyOfRange(buf, off, off + len))));
    return lines;
  }

  /** Docker's json-file reader on a resume: every line, in file order, whose timestamp is >= since. */
  private static void replay(ContainerPipeline p, List<Recorded> lines, int from, int to, long since)
      throws InterruptedException {
    p.beginStream();
    for (Recorded r : lines.subList(from, to)) {
      if (r.ts() >= since) {
        p.line(r.stream(), r.ts(), r.text(), 0, r.text().length, r.text().length);
      }
    }
    p.endOfLog();
  }

  @Test
  void aResumeRightBeforeALineOlderThanTheCheckpointStillShipsItAndNothingTwice() throws Exception {
    List<Recorded> lines = interleaved();
    List<Integer> cuts = new ArrayList<>();
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).ts() < newest) {
        cuts.add(i);  // the checkpoint lands just before a line older than it
      }
      newest = Math.max(newest, lines.get(i).ts());
    }
    assertTrue(cuts.size() >= 10, "the recording has lines out of timestamp order: " + cuts.size());
    for (int k = 1; k < lines.size(); k += 997) {
      cuts.add(k);  // and some ordinary cuts
    }
    for (int cut : cuts) {
      Recording before = new Recording("es");
      replay(pipeline(List.of(before), Map.of()), lines, 0, cut, 0);
      LogPosition checkpoint = before.got.getLast().record().last();
      // After a restart: a new pipeline from the checkpoint, reading from the request's since.
      Recording after = new Recording("es");
      replay(pipeline(List.of(after), Map.of("es", checkpoint)), lines, 0, lines.size(),
          LogRequest.sinceNanos(checkpoint));
      List<String> all = new ArrayList<>(before.messages());
      all.addAll(after.messages());
      assertEquals(lines.size(), all.size(), "cut before line " + cut + ": lines shipped in all");
      assertEquals(lines.size(), new java.util.HashSet<>(all).size(), "cut before line " + cut + ": each once");
      Recording once = new Recording("es");
      replay(pipeline(List.of(once), Map.of()), lines, 0, lines.size(), 0);
      assertEquals(once.got.subList(cut, lines.size()).stream().map(LogEvent::id).toList(),
          after.got.stream().map(LogEvent::id).toList(), "cut before line " + cut + ": the ids of one read");
    }
  }

  @Test
  void aReopenedStreamNumbersFromZeroAgain() throws Exception {
    Recording out = new Recording("es");
    ContainerPipeline p = pipeline(List.of(out), Map.of());
    p.beginStream();
    feed(p, 100, "a", "b");
    p.beginStream();  // the stream broke; Docker starts again at since=100
    feed(p, 100, "a", "b");
    feed(p, 150, "c");
    p.endOfLog();
    assertEquals(List.of("a", "b", "c"), out.messages(), "nothing twice, nothing skipped");
  }

  @Test
  void aFirstLineNewerThanTheCheckpointIsARotationLoss() throws Exception {
    Recording out = new Recording("es");
    ContainerPipeline p = pipeline(List.of(out), Map.of("es", new LogPosition(1_000_000_000L, 0)));
    p.beginStream();
    feed(p, 3_500_000_000L, "after the gap");
    assertEquals(2_500_000_000L, p.rotationGapNanos());
    assertEquals(List.of("after the gap"), out.messages());
  }

  @Test
  void aFullOutputIsDetachedAndCatchesUpOnTheNextStreamWhileTheOtherSkipsWhatItHas() throws Exception {
    Recording es = new Recording("es");
    Recording logstash = new Recording("logstash");
    ContainerPipeline p = pipeline(List.of(es, logstash), Map.of());
    p.beginStream();
    feed(p, 100, "one");
    logstash.full = true;
    feed(p, 200, "two");
    feed(p, 300, "three");
    p.flushIfIdle();
    assertEquals(List.of("one", "two", "three"), es.messages(), "Elasticsearch not held back");
    assertEquals(List.of("one"), logstash.messages());
    assertFalse(p.needsCatchUp(), "no room yet");
    logstash.full = false;
    assertTrue(p.needsCatchUp());
    assertEquals(new LogPosition(100, 0), p.resumeFrom(), "re-read from Logstash's position");
    p.beginStream();
    feed(p, 100, "one");
    feed(p, 200, "two");
    feed(p, 300, "three");
    feed(p, 400, "four");
    p.endOfLog();
    assertEquals(List.of("one", "two", "three", "four"), es.messages(), "no duplicates to Elasticsearch");
    assertEquals(List.of("one", "two", "three", "four"), logstash.messages(), "Logstash caught up");
    assertFalse(p.needsCatchUp());
  }

  @Test
  void aServiceOverItsRateLimitLosesOnlyWhatIsOverWithACounterAndKeepsTheLevelCounts() throws Exception {
    Recording out = new Recording("es");
    ContainerIdentity c = new ContainerIdentity(ID, "/app", "img:1",
        Map.of(ContainerIdentity.SERVICE_NAME, "shop_api", ContainerIdentity.STACK_NAMESPACE, "shop"));
    RateLimiter limit = new RateLimiter("shop_api", 2, clock::get);
    ContainerPipeline p = new ContainerPipeline(new ContainerTrack(c), "node-1", List.of(out),
        Map.of(), settings, metrics, clock::get, limit);
    p.beginStream();
    feed(p, 100, "a", "b", "c", "d");  // a burst of 2 passes, c and d are over
    clock.addAndGet(500_000_000L);  // half a second: one more token
    feed(p, 200, "e", "f");
    p.endOfLog();
    assertEquals(List.of("a", "b", "e"), out.messages());
    assertEquals(3, metrics.dropped.labelValues("shop", "shop_api", "node-1", "rate_limited").get());
    assertEquals(6, metrics.lines.labelValues("shop", "shop_api", "node-1", "unknown").get(),
        "the level counters (and the error-rate alerts) still see every event");
  }
}
