package io.swarmscope.shipper.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.shipper.parse.MultilineGrouper.Config;
import io.swarmscope.shipper.parse.MultilineGrouper.Mode;
import io.swarmscope.shipper.pipeline.LineTag;
import io.swarmscope.shipper.pipeline.LogLine;
import io.swarmscope.shipper.pipeline.LogPosition;
import io.swarmscope.shipper.pipeline.LogRecord;
import io.swarmscope.shipper.pipeline.LogStream;
import io.swarmscope.shipper.pipeline.PipelineSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultilineGrouperTest {

  private static final long BASE = 1_710_236_400_000_000_000L;
  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong(5_000 * MS);
  private final List<LogRecord> out = new ArrayList<>();
  private int lineNo;

  private MultilineGrouper grouper(Config c) {
    return new MultilineGrouper(c, clock::get);
  }

  /** The next line of the container's log, numbered 1, 2, ... by its position. */
  private LogLine line(LogStream stream, String text, LineTag... tags) {
    lineNo++;
    return new LogLine(new LogPosition(BASE + lineNo * MS, 0), stream, text,
        text.length() + 1L, Set.of(tags));
  }

  private LogLine line(String text) {
    return line(LogStream.STDOUT, text);
  }

  private static int lineNumber(LogPosition p) {
    return (int) ((p.timestampNanos() - BASE) / MS);
  }

  private List<String> texts() {
    return out.stream().map(LogRecord::text).toList();
  }

  // ---------------------------------------------------------------- golden files

  @ParameterizedTest(name = "{0} in {1} mode")
  @CsvSource({
      "java, auto,",
      "python, auto,",
      "spring-boot, auto,",
      "spring-boot, pattern, '^\\d{4}-\\d{2}-\\d{2}'",
  })
  void groupsRecordedLogsAsTheGoldenFilesSay(String name, String mode, String pattern) {
    Config c = pattern == null ? Config.auto() : Config.startPattern(pattern);
    MultilineGrouper g = grouper(c);
    for (String text : Fixtures.lines("multiline/" + name + ".log")) {
      g.offer(line(text), out::add);
    }
    g.flush(out::add);
    assertFalse(g.pending());
    String actual = render(out);
    String golden = "multiline/" + name + "." + mode + ".expected";
    assertEquals(Fixtures.text(golden), actual, golden);
    // Every line is in exactly one record, in order.
    assertEquals(lineNo, out.stream().mapToInt(LogRecord::lines).sum());
    for (int i = 1; i < out.size(); i++) {
      assertEquals(lineNumber(out.get(i - 1).last()) + 1, lineNumber(out.get(i).first()));
    }
  }

  /** One header line per record ({@code === lines 3-9 (7) [multiline]}), then its text. */
  static String render(List<LogRecord> records) {
    StringBuilder sb = new StringBuilder();
    for (LogRecord r : records) {
      sb.append("=== lines ").append(lineNumber(r.first())).append('-')
          .append(lineNumber(r.last())).append(" (").append(r.lines()).append(") ")
          .append(r.tags().stream().map(LineTag::wireName).sorted()
              .collect(Collectors.joining(",", "[", "]")))
          .append('\n').append(r.text()).append('\n');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- holding and emitting

  @Test
  void aPlainLineIsEmittedAsSoonAsTheNextLineShowsItIsComplete() {
    MultilineGrouper g = grouper(Config.auto());
    LogLine first = line("2024-03-12 09:41:23.010  INFO 1 --- [exec-4] GET /orders/4712 200");
    g.offer(first, out::add);
    assertTrue(out.isEmpty(), "held: frames may follow any line");
    assertTrue(g.pending());
    g.offer(line("2024-03-12 09:41:23.011  INFO 1 --- [exec-4] GET /orders/4713 200"), out::add);
    assertEquals(List.of(LogRecord.of(first)), out);
    assertSame(first.text(), out.get(0).text(), "a single line is not copied");
    assertTrue(g.pending());
  }

  @Test
  void anExceptionHeaderWaitsForItsFrames() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("java.lang.IllegalStateException: boom"), out::add);
    g.offer(line("\tat com.example.A.run(A.java:10)"), out::add);
    g.offer(line("    detail indented after the header"), out::add);
    g.offer(line("\t... 3 more"), out::add);
    assertTrue(out.isEmpty());
    g.offer(line("next"), out::add);
    assertEquals(1, out.size());
    LogRecord r = out.get(0);
    assertEquals("java.lang.IllegalStateException: boom\n\tat com.example.A.run(A.java:10)\n"
        + "    detail indented after the header\n\t... 3 more", r.text());
    assertEquals(4, r.lines());
    assertEquals(1, lineNumber(r.first()));
    assertEquals(4, lineNumber(r.last()));
    assertEquals(LogStream.STDOUT, r.stream());
    assertEquals(Set.of(LineTag.MULTILINE), r.tags());
  }

  @Test
  void framesContinueAPlainLineButIndentedTextDoesNot() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("WARN slow request: java.util.concurrent.TimeoutException: pricing"), out::add);
    g.offer(line("\tat com.example.PricingClient.price(PricingClient.java:64)"), out::add);
    g.offer(line("  and now indented text continues the trace"), out::add);
    g.offer(line("plain"), out::add);
    g.offer(line("  indented after a plain line"), out::add);
    g.flush(out::add);
    assertEquals(List.of(
        "WARN slow request: java.util.concurrent.TimeoutException: pricing\n"
            + "\tat com.example.PricingClient.price(PricingClient.java:64)\n"
            + "  and now indented text continues the trace",
        "plain",
        "  indented after a plain line"), texts());
  }

  @Test
  void recognisesTheJavaHeaderShapes() {
    MultilineGrouper g = grouper(Config.auto());
    String[] headers = {
        "java.lang.NullPointerException",
        "Exception in thread \"main\" java.lang.StackOverflowError",
        "org.springframework.beans.factory.BeanCreationException: Error creating bean",
        "com.example.Outer$InnerError: nested class",
        "kotlin.KotlinNullPointerException:",
    };
    for (String h : headers) {
      g.offer(line(h), out::add);
      g.offer(line("  indented: continues only after a header"), out::add);
    }
    g.flush(out::add);
    assertEquals(headers.length, out.size(), texts().toString());
    for (LogRecord r : out) {
      assertEquals(2, r.lines(), r.text());
    }
  }

  @Test
  void linesThatOnlyLookLikeHeadersAreNotHeaders() {
    MultilineGrouper g = grouper(Config.auto());
    String[] plain = {
        "IllegalStateException: no package",
        "com.example.Service: started",
        "java.lang.IllegalStateException boom",  // no colon after the class
        "see java.lang.IllegalStateException: x",
        "{\"msg\":\"java.lang.IllegalStateException: x\"}",
    };
    for (String p : plain) {
      g.offer(line(p), out::add);
      g.offer(line("  indented"), out::add);
    }
    g.flush(out::add);
    assertEquals(plain.length * 2, out.size(), texts().toString());
  }

  @Test
  void theIdleTimeoutEmitsAHeldGroupByTheInjectedClock() {
    MultilineGrouper g = grouper(Config.auto().withFlushTimeout(Duration.ofSeconds(1)));
    assertEquals(Long.MAX_VALUE, g.nanosUntilIdleFlush(clock.get()));
    assertFalse(g.flushIfIdle(clock.get(), out::add));
    g.offer(line("java.lang.IllegalStateException: boom"), out::add);
    clock.addAndGet(600 * MS);
    g.offer(line("\tat com.example.A.run(A.java:10)"), out::add);  // restarts the wait
    clock.addAndGet(999 * MS);
    assertEquals(MS, g.nanosUntilIdleFlush(clock.get()));
    assertFalse(g.flushIfIdle(clock.get(), out::add));
    assertTrue(out.isEmpty());
    clock.addAndGet(MS);
    assertEquals(0, g.nanosUntilIdleFlush(clock.get()));
    assertTrue(g.flushIfIdle(clock.get(), out::add));
    assertEquals(1, out.size());
    assertEquals(2, out.get(0).lines());
    assertFalse(g.pending());
    assertFalse(g.flushIfIdle(clock.get() + 10_000 * MS, out::add));
    assertEquals(1, out.size());
  }

  @Test
  void theIdleTimeoutWorksAcrossTheNanoTimeWrap() {
    clock.set(Long.MAX_VALUE - 100 * MS);
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("plain"), out::add);
    clock.addAndGet(500 * MS);  // overflows to negative
    assertFalse(g.flushIfIdle(clock.get(), out::add));
    clock.addAndGet(500 * MS);
    assertTrue(g.flushIfIdle(clock.get(), out::add));
    assertEquals(List.of("plain"), texts());
  }

  @Test
  void aLineOfTheOtherStreamCompletesTheHeldRecord() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line(LogStream.STDERR, "java.lang.IllegalStateException: boom"), out::add);
    g.offer(line(LogStream.STDERR, "\tat com.example.A.run(A.java:10)"), out::add);
    g.offer(line(LogStream.STDOUT, "\tat com.example.B.run(B.java:20)"), out::add);
    assertEquals(1, out.size());
    assertEquals(LogStream.STDERR, out.get(0).stream());
    assertEquals(2, out.get(0).lines());
    g.offer(line(LogStream.STDOUT, "\tat com.example.C.run(C.java:30)"), out::add);
    g.flush(out::add);
    assertEquals(2, out.size());
    assertEquals(LogStream.STDOUT, out.get(1).stream());
    assertEquals("\tat com.example.B.run(B.java:20)\n\tat com.example.C.run(C.java:30)",
        out.get(1).text());
  }

  @Test
  void theLineLimitCutsTheGroupAndTheRestContinuesInTheNextRecord() {
    MultilineGrouper g = grouper(Config.auto().withMaxLines(3));
    g.offer(line("java.lang.IllegalStateException: boom"), out::add);
    g.offer(line("\tat com.example.A.f(A.java:1)"), out::add);
    g.offer(line("\tat com.example.A.g(A.java:2)"), out::add);
    g.offer(line("\tat com.example.A.h(A.java:3)"), out::add);
    // Indented lines continue only a Java group: the next part must still be one.
    g.offer(line("  indented: still the same trace"), out::add);
    g.offer(line("plain"), out::add);
    g.flush(out::add);
    assertEquals(List.of(
        "java.lang.IllegalStateException: boom\n\tat com.example.A.f(A.java:1)\n"
            + "\tat com.example.A.g(A.java:2)",
        "\tat com.example.A.h(A.java:3)\n  indented: still the same trace",
        "plain"), texts());
    assertEquals(Set.of(LineTag.MULTILINE, LineTag.MULTILINE_LIMIT), out.get(0).tags());
    assertEquals(Set.of(LineTag.MULTILINE), out.get(1).tags());
    assertEquals(4, lineNumber(out.get(1).first()));
  }

  @Test
  void theDefaultLineLimitIs500() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("java.lang.IllegalStateException: boom"), out::add);
    for (int i = 0; i < 1200; i++) {
      g.offer(line("\tat com.example.A.f(A.java:" + i + ")"), out::add);
    }
    g.flush(out::add);
    assertEquals(List.of(500, 500, 201), out.stream().map(LogRecord::lines).toList());
    assertTrue(out.get(1).tags().contains(LineTag.MULTILINE_LIMIT));
    assertFalse(out.get(2).tags().contains(LineTag.MULTILINE_LIMIT));
  }

  @Test
  void theByteLimitCountsUtf8AndJoiningNewlines() {
    // Header 10 bytes; each frame "\tat é()" is 9 bytes (é is 2), +1 for the newline.
    MultilineGrouper g = grouper(Config.auto().withMaxBytes(30));
    g.offer(line("a.BError: "), out::add);
    g.offer(line("\tat é(x)"), out::add);  // 10 + 1 + 9 = 20
    g.offer(line("\tat é(y)"), out::add);  // 30: fits exactly
    g.offer(line("\tat é(z)"), out::add);  // 40: does not
    g.flush(out::add);
    assertEquals(2, out.size(), texts().toString());
    assertEquals(3, out.get(0).lines());
    assertEquals(30, out.get(0).text().getBytes(StandardCharsets.UTF_8).length);
    assertTrue(out.get(0).tags().contains(LineTag.MULTILINE_LIMIT));
    assertEquals("\tat é(z)", out.get(1).text());
    assertEquals(Set.of(), out.get(1).tags());
  }

  @Test
  void aSingleLineOverTheByteLimitIsKeptWhole() {
    MultilineGrouper g = grouper(Config.auto().withMaxBytes(8));
    String big = "java.lang.IllegalStateException: far more than eight bytes";
    g.offer(line(big), out::add);
    g.offer(line("plain"), out::add);
    g.flush(out::add);
    assertEquals(List.of(big, "plain"), texts());
    assertEquals(Set.of(), out.get(0).tags());
  }

  @Test
  void aRecordSumsBytesAndUnitesTags() {
    MultilineGrouper g = grouper(Config.auto());
    LogLine a = new LogLine(new LogPosition(BASE, 3), LogStream.STDERR,
        "java.lang.IllegalStateException: x", 100, Set.of(LineTag.INVALID_UTF8));
    LogLine b = new LogLine(new LogPosition(BASE, 4), LogStream.STDERR,
        "\tat A.b(A.java:1) [truncated 9 bytes]", 300_000, Set.of(LineTag.TRUNCATED));
    LogLine c = new LogLine(new LogPosition(BASE + 1, 0), LogStream.STDERR,
        "\tat A.c(A.java:2)", 18, Set.of(LineTag.TRUNCATED, LineTag.CONTROL_CHARS));
    g.offer(a, out::add);
    g.offer(b, out::add);
    g.offer(c, out::add);
    g.flush(out::add);
    assertEquals(List.of(new LogRecord(a.position(), c.position(), LogStream.STDERR,
        a.text() + "\n" + b.text() + "\n" + c.text(), 3, 300_118,
        Set.of(LineTag.INVALID_UTF8, LineTag.TRUNCATED, LineTag.CONTROL_CHARS,
            LineTag.MULTILINE))), out);
  }

  @Test
  void disabledModeEmitsEveryLineAtOnce() {
    MultilineGrouper g = grouper(Config.disabled());
    LogLine header = line("java.lang.IllegalStateException: boom");
    LogLine frame = line("\tat com.example.A.run(A.java:10)");
    g.offer(header, out::add);
    assertEquals(List.of(LogRecord.of(header)), out);
    assertFalse(g.pending());
    g.offer(frame, out::add);
    assertEquals(List.of(LogRecord.of(header), LogRecord.of(frame)), out);
    assertFalse(g.flush(out::add));
    assertFalse(g.flushIfIdle(Long.MAX_VALUE, out::add));
  }

  // ---------------------------------------------------------------- start pattern

  @Test
  void aStartPatternMakesEveryOtherLineAContinuation() {
    MultilineGrouper g = grouper(Config.startPattern("^\\["));
    g.offer(line("orphan before the first start"), out::add);
    g.offer(line("[1] first"), out::add);
    g.offer(line("not indented, still the first"), out::add);
    g.offer(line(""), out::add);
    g.offer(line("[2] second"), out::add);
    g.offer(line("[3] third"), out::add);
    g.flush(out::add);
    assertEquals(List.of("orphan before the first start",
        "[1] first\nnot indented, still the first\n", "[2] second", "[3] third"), texts());
    assertEquals(Set.of(LineTag.MULTILINE), out.get(1).tags());
  }

  @Test
  void aStartPatternIsFoundAnywhereUnlessAnchored() {
    MultilineGrouper g = grouper(Config.startPattern(Pattern.compile("BEGIN")));
    g.offer(line("x BEGIN"), out::add);
    g.offer(line("y"), out::add);
    g.offer(line("z BEGIN"), out::add);
    g.flush(out::add);
    assertEquals(List.of("x BEGIN\ny", "z BEGIN"), texts());
  }

  // ---------------------------------------------------------------- python

  @Test
  void aBlankLineAfterATracebackIsItsOwnRecordUnlessAChainFollows() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("Traceback (most recent call last):"), out::add);
    g.offer(line("  File \"/app/main.py\", line 3, in <module>"), out::add);
    g.offer(line("ZeroDivisionError: division by zero"), out::add);
    g.offer(line(""), out::add);
    assertTrue(out.isEmpty(), "the blank line may still lead to a chained traceback");
    g.offer(line("INFO:app:next"), out::add);
    assertEquals(List.of("Traceback (most recent call last):\n"
        + "  File \"/app/main.py\", line 3, in <module>\nZeroDivisionError: division by zero",
        ""), texts());
    assertEquals(4, lineNumber(out.get(1).first()));
  }

  @Test
  void flushEmitsAHeldBlankLineAfterItsTraceback() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("Traceback (most recent call last):"), out::add);
    g.offer(line("  File \"/app/main.py\", line 3, in <module>"), out::add);
    g.offer(line("KeyError: 'id'"), out::add);
    g.offer(line(""), out::add);
    assertTrue(g.pending());
    assertTrue(g.flush(out::add));
    assertFalse(g.pending());
    assertEquals(2, out.size());
    assertEquals(3, out.get(0).lines());
    assertEquals("", out.get(1).text());
  }

  @Test
  void aDirectCauseChainStaysTogether() {
    MultilineGrouper g = grouper(Config.auto());
    String[] trace = {
        "Traceback (most recent call last):",
        "  File \"/app/db.py\", line 9, in connect",
        "    sock.connect(addr)",
        "ConnectionRefusedError: [Errno 111] Connection refused",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        "  File \"/app/main.py\", line 3, in <module>",
        "    db.connect()",
        "app.db.DatabaseError: cannot connect",
    };
    for (String t : trace) {
      g.offer(line(t), out::add);
    }
    g.offer(line("INFO:app:retrying"), out::add);
    assertEquals(List.of(String.join("\n", trace)), texts());
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  void discardDropsWhatIsHeld() {
    MultilineGrouper g = grouper(Config.auto());
    g.offer(line("Traceback (most recent call last):"), out::add);
    g.offer(line("KeyError: 'id'"), out::add);
    g.offer(line(""), out::add);
    g.discard();
    assertFalse(g.pending());
    assertFalse(g.flush(out::add));
    g.offer(line("after"), out::add);
    g.flush(out::add);
    assertEquals(List.of("after"), texts());
  }

  @Test
  void theConsumerSeesTheGrouperAlreadyUpdated() {
    MultilineGrouper g = grouper(Config.auto());
    List<Boolean> pendingDuringEmit = new ArrayList<>();
    g.offer(line("one"), r -> pendingDuringEmit.add(g.pending()));
    g.flush(r -> {
      pendingDuringEmit.add(g.pending());
      g.flush(out::add);  // a re-entrant flush finds nothing to emit twice
    });
    assertEquals(List.of(false), pendingDuringEmit);
    assertTrue(out.isEmpty());
  }

  @Test
  void createsTheGrouperThePipelineSettingsAskFor() {
    PipelineSettings d = PipelineSettings.defaults();
    Config auto = MultilineGrouper.create(d, clock::get).config();
    assertEquals(Mode.AUTO, auto.mode());
    assertEquals(d.multilineFlush(), auto.flushTimeout());
    assertEquals(d.multilineMaxLines(), auto.maxLines());
    assertEquals(d.multilineMaxBytes(), auto.maxBytes());

    PipelineSettings off = new PipelineSettings(d.maxLineBytes(), false, Optional.empty(),
        d.multilineFlush(), 7, 700, d.outputBlock());
    assertEquals(Mode.DISABLED, MultilineGrouper.create(off, clock::get).config().mode());

    Pattern p = Pattern.compile("^\\d{4}");
    PipelineSettings pattern = new PipelineSettings(d.maxLineBytes(), true, Optional.of(p),
        Duration.ofMillis(250), 7, 700, d.outputBlock());
    Config c = MultilineGrouper.create(pattern, clock::get).config();
    assertEquals(Mode.PATTERN, c.mode());
    assertSame(p, c.startPattern());
    assertEquals(7, c.maxLines());
    assertEquals(700, c.maxBytes());
    assertEquals(Duration.ofMillis(250), c.flushTimeout());
  }

  @Test
  void configDefaultsAndValidation() {
    Config c = Config.auto();
    assertEquals(500, c.maxLines());
    assertEquals(512 * 1024, c.maxBytes());
    assertEquals(Duration.ofSeconds(1), c.flushTimeout());
    assertNull(c.startPattern());
    assertThrows(IllegalArgumentException.class, () -> c.withMaxLines(0));
    assertThrows(IllegalArgumentException.class, () -> c.withMaxBytes(0));
    assertThrows(IllegalArgumentException.class, () -> c.withFlushTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> new Config(Mode.PATTERN, null, 1, 1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> new Config(Mode.AUTO, Pattern.compile("x"), 1, 1, Duration.ZERO));
    // A huge timeout saturates instead of overflowing: the group waits, it is not emitted at once.
    MultilineGrouper g = grouper(c.withFlushTimeout(Duration.ofDays(365L * 1000)));
    g.offer(line("held"), out::add);
    assertFalse(g.flushIfIdle(clock.get() + 1_000_000 * MS, out::add));
  }

  @ParameterizedTest
  @CsvSource({"'', 0", "abc, 3", "é, 2", "日本, 6", "🚀, 4", "a🚀b, 6"})
  void countsUtf8Bytes(String s, long bytes) {
    assertEquals(bytes, MultilineGrouper.utf8Length(s));
    assertEquals(bytes, s.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void countsAnUnpairedSurrogateAsAReplacementCharacter() {
    assertEquals(3, MultilineGrouper.utf8Length("\uD83D"));
    assertEquals(4, MultilineGrouper.utf8Length("\uDE80x"));
  }
}
