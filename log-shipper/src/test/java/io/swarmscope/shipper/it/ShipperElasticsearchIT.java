package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipper in this JVM against the real engine and a real Elasticsearch node: what arrives,
 * how often, and in which shape. Each test writes to daily indices of its own.
 */
class ShipperElasticsearchIT extends ElasticsearchShipperTest {

  private ShipperUnderTest current;

  private ShipperUnderTest shipper(String... extra) throws Exception {
    List<String> args = shipperArgs(state);
    args.addAll(List.of(extra));
    current = ShipperUnderTest.start(args);
    return current;
  }

  private void awaitCount(long n) {
    Workloads.await(n + " documents in " + indices, Duration.ofMinutes(3),
        () -> count() >= n, () -> count() + " documents; shipper metrics:\n" + current.metrics().text());
  }

  /** The count, or -1 while the index's shard is still starting (503). */
  private long count() {
    return Documents.count(es, indices);
  }

  @Test
  void numberedLinesArriveExactlyOnceWithTheirIdentity() throws Exception {
    int n = 5000;
    try (ShipperUnderTest s = shipper()) {
      String id = workloads.start("numbered", List.of(), Workloads.numbered("line", n, 0));
      workloads.awaitExit(id, Duration.ofMinutes(2));
      awaitCount(n);
      Workloads.await("shipper lag back to zero", Duration.ofMinutes(1),
          () -> s.metrics().sum("swarmscope_log_lag_seconds") == 0);
      List<String> messages = Documents.messages(es, indices);
      assertEquals(n, messages.size(), "documents stored");
      Set<String> distinct = new HashSet<>(messages);
      assertEquals(n, distinct.size(), "no duplicates");
      for (int i = 1; i <= n; i++) {
        assertTrue(distinct.contains("line " + i), "line " + i + " arrived");
      }
      JsonNode doc = Documents.all(es, indices).get(0).path("_source");
      assertEquals(id, doc.path("container").path("id").asText());
      assertEquals("numbered-" + workloads.run(), doc.path("container").path("name").asText());
      assertEquals(Workloads.IMAGE, doc.path("container").path("image").path("name").asText());
      assertEquals("stdout", doc.path("stream").asText());
      String hostname = Workloads.docker("info", "--format", "{{.Name}}").output().trim();
      assertEquals(hostname, doc.path("host").path("name").asText(), "the engine's hostname");
      assertTrue(doc.path("@timestamp").asText().matches("\\d{4}-.*\\.\\d{9}Z"), "Docker's timestamp");
      assertEquals(n, s.metrics().sum("swarmscope_log_events_shipped_total", "output=\"elasticsearch\""));
      assertEquals(n, s.metrics().sum("swarmscope_log_lines_total", "service=\"numbered-" + workloads.run()));
    }
  }

  @Test
  void linesLongerThanSixteenKilobytesArriveWhole() throws Exception {
    try (ShipperUnderTest s = shipper()) {
      String id = workloads.start("long", List.of(), "echo before; head -c 40000 /dev/zero | tr '\\0' a; echo;"
          + " head -c 100000 /dev/zero | tr '\\0' b; echo; echo after");
      workloads.awaitExit(id, Duration.ofMinutes(1));
      awaitCount(4);
      List<String> m = Documents.messages(es, indices);
      assertEquals(List.of("before", "a".repeat(40000), "b".repeat(100000), "after"), m);
    }
  }

  @Test
  void linesOverTheLimitAreCutWithAMarkerAndCounted() throws Exception {
    try (ShipperUnderTest s = shipper("--max.line.bytes=20000")) {
      String id = workloads.start("huge", List.of(), "head -c 50000 /dev/zero | tr '\\0' c; echo; echo next");
      workloads.awaitExit(id, Duration.ofMinutes(1));
      awaitCount(2);
      List<JsonNode> docs = Documents.all(es, indices);
      JsonNode cut = docs.get(0).path("_source");
      assertEquals("c".repeat(20000) + " [truncated 30000 bytes]", cut.path("message").asText());
      assertTrue(cut.path("tags").toString().contains("truncated"), cut.path("tags").toString());
      assertEquals("next", docs.get(1).path("_source").path("message").asText());
      assertEquals(1, s.metrics().sum("swarmscope_log_lines_tagged_total", "tag=\"truncated\""));
    }
  }

  @Test
  void ttyContainerIsShipped() throws Exception {
    try (ShipperUnderTest s = shipper()) {
      String id = workloads.start("tty", List.of("-t"), Workloads.numbered("tty", 300, 0));
      workloads.awaitExit(id, Duration.ofMinutes(1));
      awaitCount(300);
      List<JsonNode> docs = Documents.all(es, indices);
      Set<String> messages = new TreeSet<>();
      for (JsonNode d : docs) {
        messages.add(d.path("_source").path("message").asText());
        assertEquals("tty", d.path("_source").path("stream").asText());
      }
      assertEquals(300, messages.size());
      assertTrue(messages.contains("tty 1") && messages.contains("tty 300"), "no \\r left: " + messages.iterator().next());
    }
  }

  @Test
  void javaStackTraceIsOneEvent() throws Exception {
    String trace = "printf '%s\\n' 'starting' 'Exception in thread \"main\" java.lang.IllegalStateException: boom'"
        + " '\tat com.example.App.run(App.java:42)' '\tat com.example.App.main(App.java:10)'"
        + " 'Caused by: java.io.IOException: disk gone' '\tat com.example.Disk.write(Disk.java:7)'"
        + " '\t... 2 more' 'done'";
    try (ShipperUnderTest s = shipper()) {
      String id = workloads.start("trace", List.of(), trace);
      workloads.awaitExit(id, Duration.ofMinutes(1));
      awaitCount(3);
      Workloads.await("the last line flushed", Duration.ofSeconds(30), () -> count() == 3);
      List<JsonNode> docs = Documents.all(es, indices);
      assertEquals(3, docs.size());
      JsonNode ex = docs.get(1).path("_source");
      assertTrue(ex.path("message").asText().startsWith("Exception in thread \"main\""), ex.toString());
      assertTrue(ex.path("message").asText().endsWith("\t... 2 more"), ex.toString());
      assertEquals(6, ex.path("swarmscope").path("lines").asInt());
      assertEquals("error", ex.path("log").path("level").asText());
      assertEquals("done", docs.get(2).path("_source").path("message").asText());
    }
  }

  @Test
  void restartedContainerAndFastExitAreShippedCompletely() throws Exception {
    try (ShipperUnderTest s = shipper()) {
      String restarted = workloads.start("restarted", List.of(), Workloads.numbered("run", 200, 0));
      String fast = workloads.start("fast", List.of(), "echo one; echo two");
      workloads.awaitExit(restarted, Duration.ofMinutes(1));
      Workloads.docker("start", restarted);
      workloads.awaitExit(restarted, Duration.ofMinutes(1));
      workloads.awaitExit(fast, Duration.ofMinutes(1));
      awaitCount(402);
      List<String> m = Documents.messages(es, indices);
      assertEquals(402, m.size(), "200 lines per run, two runs, plus two: " + m.size());
      assertEquals(2, m.stream().filter(x -> x.equals("run 200")).count());
      assertTrue(m.contains("one") && m.contains("two"));
    }
  }

  @Test
  void invalidUtf8AndNulBytesAreKeptAndTagged() throws Exception {
    // json-file replaces invalid UTF-8 itself; the local driver keeps the bytes as written.
    try (ShipperUnderTest s = shipper()) {
      String id = workloads.start("bytes", List.of("--log-driver", "local"),
          "printf 'bad \\377\\376 bytes\\n'; printf 'nul \\000 here\\n'; echo 'ok ✓'");
      workloads.awaitExit(id, Duration.ofMinutes(1));
      awaitCount(3);
      List<JsonNode> docs = Documents.all(es, indices);
      assertEquals("bad \uFFFD\uFFFD bytes", docs.get(0).path("_source").path("message").asText());
      assertTrue(docs.get(0).path("_source").path("tags").toString().contains("invalid_utf8"));
      assertTrue(docs.get(1).path("_source").path("message").asText().startsWith("nul "));
      assertTrue(docs.get(1).path("_source").path("tags").toString().contains("control_chars"));
      assertEquals("ok ✓", docs.get(2).path("_source").path("message").asText());
    }
  }

  @Test
  void jsonThatClashesWithTheMappingIsStoredInTheFallbackShape() throws Exception {
    // A flattened field refuses objects nested deeper than 20 levels: a mapping failure per item.
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      deep.append("{\"k\":");
    }
    deep.append("1").append("}".repeat(25));
    String line = "{\"message\":\"deep one\",\"level\":\"warn\",\"nest\":" + deep + "}";
    try (ShipperUnderTest s = shipper()) {
      String id = workloads.start("clash", List.of(), "echo '" + line + "'; echo '{\"message\":\"fine\",\"n\":1}'");
      workloads.awaitExit(id, Duration.ofMinutes(1));
      awaitCount(2);
      List<JsonNode> docs = Documents.all(es, indices);
      JsonNode fallback = docs.get(0).path("_source");
      assertTrue(fallback.path("tags").toString().contains("mapping_fallback"), fallback.toString());
      assertEquals(line, fallback.path("event").path("original").asText());
      assertEquals("fine", docs.get(1).path("_source").path("message").asText());
      assertEquals(1, docs.get(1).path("_source").path("fields").path("n").asInt());
      assertEquals(1, s.metrics().sum("swarmscope_output_errors_total", "reason=\"mapping_conflict\""));
    }
  }

  @Test
  void restartResumesFromTheCheckpointAndRotationLossIsCounted() throws Exception {
    String script = Workloads.numbered("early", 50, 0)
        + "; while [ ! -f /tmp/go ]; do usleep 100000; done; "
        + Workloads.numbered("burst-line-with-some-padding-to-fill-the-small-log-files", 3000, 0)
        + "; echo last; sleep 600";
    String id;
    try (ShipperUnderTest s = shipper()) {
      id = workloads.start("rotated", List.of("--log-opt", "max-size=20k", "--log-opt", "max-file=2"), script);
      awaitCount(50);
      Workloads.await("checkpoint written", Duration.ofSeconds(30),
          () -> java.nio.file.Files.exists(state.resolve("checkpoints.json")));
      Thread.sleep(1500);  // one checkpoint flush period after the last ack
    }
    Workloads.docker("exec", id, "touch", "/tmp/go");
    Workloads.await("burst written", Duration.ofMinutes(1),
        () -> Workloads.docker("logs", "--tail", "1", id).output().contains("last"));
    try (ShipperUnderTest s = shipper()) {
      Workloads.await("last line shipped", Duration.ofMinutes(2),
          () -> Documents.count(es, indices, "message:last") == 1);
      assertEquals(1, s.metrics().sum("swarmscope_log_rotation_losses_total"),
          "the burst rotated the checkpoint's file away");
      assertTrue(s.metrics().sum("swarmscope_log_rotation_gap_seconds_total") > 0);
      List<String> m = Documents.messages(es, indices);
      assertEquals(50, m.stream().filter(x -> x.startsWith("early")).count(), "early lines not re-sent");
      assertEquals(m.size(), new HashSet<>(m).size(), "no duplicates");
      assertTrue(m.size() < 50 + 3000 + 1, "rotation deleted some burst lines: " + m.size());
    }
  }

  @Test
  void optedOutContainersAreNotShipped() throws Exception {
    try (ShipperUnderTest s = shipper()) {
      String out = workloads.start("optout", List.of("--label", "io.swarmscope.logs=false"), "echo hidden");
      String spout = workloads.start("logspout", List.of("-e", "LOGSPOUT=ignore"), "echo hidden too");
      String in = workloads.start("shown", List.of(), "sleep 1; echo shown");
      for (String c : new ArrayList<>(List.of(out, spout, in))) {
        workloads.awaitExit(c, Duration.ofMinutes(1));
      }
      awaitCount(1);
      Thread.sleep(2000);
      assertEquals(List.of("shown"), Documents.messages(es, indices));
    }
  }
}
