package io.swarmscope.shipper.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageParserTest {

  private final MessageParser parser = new MessageParser();

  // ---------------------------------------------------------------- json

  @Test
  void logstashLogbackEncoderMessageGetsTheStackTrace() {
    ParsedMessage p = parser.parse(Fixtures.line("json/logstash-logback-encoder.json"));
    assertEquals("json", p.format());
    assertEquals(LogLevel.ERROR, p.level());
    assertEquals("ERROR", p.originalLevel());
    assertEquals("""
        Request processing failed for GET /orders/4711
        java.lang.IllegalStateException: order 4711 has no lines
        \tat com.example.orders.OrderService.total(OrderService.java:88)
        \tat com.example.orders.OrderController.get(OrderController.java:41)
        \tat java.base/java.lang.Thread.run(Thread.java:1583)""", p.message());
    assertEquals(List.of("@timestamp", "@version", "logger_name", "thread_name", "level_value",
        "traceId", "spanId"), List.copyOf(p.fields().keySet()));
    assertEquals(40000, p.fields().get("level_value"));
    assertEquals("http-nio-8080-exec-3", p.fields().get("thread_name"));
  }

  @Test
  void pinoNumericLevelAndNestedObjects() {
    ParsedMessage p = parser.parse(Fixtures.line("json/pino.json"));
    assertEquals(LogLevel.INFO, p.level());
    assertEquals("30", p.originalLevel());
    assertEquals("request completed", p.message());
    assertEquals(1710236482903L, p.fields().get("time"));
    assertEquals(12.4, p.fields().get("responseTime"));
    Map<?, ?> req = assertInstanceOf(Map.class, p.fields().get("req"));
    assertEquals(7, req.get("id"));
    assertEquals(Map.of("host", "orders:3000", "user-agent", "curl/8.5.0"), req.get("headers"));
    assertEquals(Map.of("statusCode", 200), p.fields().get("res"));
    assertFalse(p.fields().containsKey("msg"));
    assertFalse(p.fields().containsKey("level"));
  }

  @Test
  void bunyanErrorKeepsTheErrObjectAsAField() {
    ParsedMessage p = parser.parse(Fixtures.line("json/bunyan.json"));
    assertEquals(LogLevel.ERROR, p.level());
    assertEquals("50", p.originalLevel());
    assertEquals("database unavailable", p.message());
    Map<?, ?> err = assertInstanceOf(Map.class, p.fields().get("err"));
    assertEquals("ECONNREFUSED", err.get("code"));
    assertTrue(((String) err.get("stack")).contains("\n    at TCPConnectWrap"));
    assertEquals(List.of("name", "hostname", "pid", "err", "time", "v"),
        List.copyOf(p.fields().keySet()));
  }

  @Test
  void zapLineKeepsEveryJsonType() {
    ParsedMessage p = parser.parse(Fixtures.line("json/zap.json"));
    assertEquals(LogLevel.WARN, p.level());
    assertEquals("warn", p.originalLevel());
    assertEquals("slow command", p.message());
    assertEquals(1710236483.1041524, p.fields().get("ts"));
    assertEquals(Boolean.FALSE, p.fields().get("retry"));
    assertEquals(List.of("cache", "redis"), p.fields().get("tags"));
    assertTrue(p.fields().containsKey("parent"));
    assertNull(p.fields().get("parent"));
  }

  @Test
  void logrusJsonWarning() {
    ParsedMessage p = parser.parse(Fixtures.line("json/logrus.json"));
    assertEquals(LogLevel.WARN, p.level());
    assertEquals("warning", p.originalLevel());
    assertEquals("disk usage above threshold", p.message());
    assertEquals(Map.of("mount", "/var/lib/docker", "time", "2024-03-12T09:41:24Z", "used_pct",
        91.5), p.fields());
  }

  @Test
  void ecsDottedLogLevel() {
    ParsedMessage p = parser.parse(Fixtures.line("json/ecs-logging-java.json"));
    assertEquals(LogLevel.INFO, p.level());
    assertEquals("INFO", p.originalLevel());
    assertEquals("Payment accepted", p.message());
    assertFalse(p.fields().containsKey("log.level"));
    assertEquals("com.example.payments.PaymentService", p.fields().get("log.logger"));
    assertEquals(4711, p.fields().get("order.id"));
  }

  @Test
  void nestedLogLevelIsTakenOutOfTheLogObject() {
    ParsedMessage p = parser.parse(
        "{\"log\":{\"level\":\"warn\",\"logger\":\"payments\"},\"message\":\"retrying\"}");
    assertEquals(LogLevel.WARN, p.level());
    assertEquals("retrying", p.message());
    assertEquals(Map.of("log", Map.of("logger", "payments")), p.fields());
    ParsedMessage only = parser.parse("{\"log\":{\"level\":\"error\"},\"message\":\"x\"}");
    assertEquals(LogLevel.ERROR, only.level());
    assertEquals(Map.of(), only.fields());
  }

  @Test
  void pythonJsonLoggerLevelnameAndUnicodeEscapes() {
    ParsedMessage p = parser.parse(Fixtures.line("json/python-json-logger.json"));
    assertEquals(LogLevel.ERROR, p.level());
    assertEquals("ERROR", p.originalLevel());
    assertEquals("job 17 failed – réessayer", p.message());
    assertEquals(Map.of("asctime", "2024-03-12 09:41:26,001", "name", "worker", "job_id", 17),
        p.fields());
  }

  @Test
  void messageAndLevelKeysInOrderOfPreference() {
    ParsedMessage p = parser.parse(
        "{\"text\":\"t\",\"msg\":\"m\",\"severity\":\"debug\",\"lvl\":\"error\",\"message\":\"M\"}");
    assertEquals("M", p.message());
    assertEquals(LogLevel.ERROR, p.level());  // lvl before severity
    // The keys not chosen are data.
    assertEquals(Map.of("text", "t", "msg", "m", "severity", "debug"), p.fields());
    assertEquals("@m", parser.parse("{\"@message\":\"@m\",\"log\":\"l\"}").message());
    assertEquals("l", parser.parse("{\"log\":\"l\",\"text\":\"t\",\"loglevel\":\"info\"}").message());
    assertEquals(LogLevel.INFO,
        parser.parse("{\"log\":\"l\",\"text\":\"t\",\"loglevel\":\"info\"}").level());
  }

  @Test
  void conflictingTypesAreKeptAsJsonTextOrSkipped() {
    ParsedMessage p = parser.parse("{\"message\":{\"a\":1,\"b\":[true,null]},\"level\":50}");
    assertEquals("{\"a\":1,\"b\":[true,null]}", p.message());
    assertEquals(LogLevel.ERROR, p.level());
    assertEquals("50", p.originalLevel());
    assertEquals(Map.of(), p.fields());

    ParsedMessage number = parser.parse("{\"msg\":42,\"level\":\"info\"}");
    assertEquals("42", number.message());
    assertEquals(Map.of(), number.fields());

    // A level that is neither a string nor a number is not a level; it stays a field.
    ParsedMessage objectLevel = parser.parse("{\"msg\":\"x\",\"level\":{\"n\":3},\"severity\":\"W\"}");
    assertEquals(LogLevel.WARN, objectLevel.level());
    assertEquals(Map.of("level", Map.of("n", 3)), objectLevel.fields());

    // A null message is not a message.
    ParsedMessage nullMessage = parser.parse("{\"message\":null,\"msg\":\"real\"}");
    assertEquals("real", nullMessage.message());
    assertTrue(nullMessage.fields().containsKey("message"));

    // In ECS "log" is an object, never the message.
    String ecs = "{\"log\":{\"logger\":\"x\"},\"level\":\"info\"}";
    assertEquals(ecs, parser.parse(ecs).message());

    // Unknown words and odd numbers are kept as written.
    ParsedMessage odd = parser.parse("{\"msg\":\"x\",\"level\":\"banana\"}");
    assertEquals(LogLevel.UNKNOWN, odd.level());
    assertEquals("banana", odd.originalLevel());
    assertEquals(LogLevel.UNKNOWN, parser.parse("{\"msg\":\"x\",\"level\":35}").level());
  }

  @Test
  void withoutAMessageFieldTheMessageIsTheWholeText() {
    String line = "  {\"level\":\"info\",\"event\":\"cache warmed\",\"stack_trace\":\"s\"}  ";
    ParsedMessage p = parser.parse(line);
    assertEquals("json", p.format());
    assertEquals(line, p.message());
    assertEquals(LogLevel.INFO, p.level());
    // Not appended to a message that already contains it: it stays a field.
    assertEquals(Map.of("event", "cache warmed", "stack_trace", "s"), p.fields());

    ParsedMessage empty = parser.parse("{}");
    assertEquals("json", empty.format());
    assertEquals("{}", empty.message());
    assertEquals(LogLevel.UNKNOWN, empty.level());
  }

  @Test
  void largeAndDuplicateValues() {
    ParsedMessage p = parser.parse(
        "{\"msg\":\"x\",\"id\":123456789012345678901234567890,\"k\":1,\"k\":2,\"f\":1e400}");
    assertEquals(new BigInteger("123456789012345678901234567890"), p.fields().get("id"));
    assertEquals(2, p.fields().get("k"));
    assertEquals(Double.POSITIVE_INFINITY, p.fields().get("f"));
  }

  @Test
  void fieldsAreReadOnly() {
    ParsedMessage p = parser.parse(Fixtures.line("json/zap.json"));
    assertThrows(UnsupportedOperationException.class, () -> p.fields().put("x", 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"msg\":\"x\"",                        // unterminated
      "{\"msg\":\"x\"} {\"msg\":\"y\"}",        // two objects
      "{\"msg\":\"x\"} trailing }",
      "{'msg':'x'}",                            // single quotes
      "{msg:\"x\"}",                            // unquoted name
      "{\"msg\":\"x\",}",                       // trailing comma
      "{\"msg\":\"x\" /* c */}",                // comment
      "{\"n\":NaN,\"msg\":\"x\"}",
      "{\"n\":01,\"msg\":\"x\"}",
      "{ERROR} something failed {id}",
  })
  void invalidJsonFallsBackToText(String line) {
    ParsedMessage p = parser.parse(line);
    assertEquals("text", p.format());
    assertEquals(line, p.message());
    assertEquals(Map.of(), p.fields());
  }

  @Test
  void aJsonArrayIsText() {
    ParsedMessage p = parser.parse("[{\"msg\":\"x\",\"level\":\"error\"}]");
    assertEquals("text", p.format());
    assertEquals(LogLevel.ERROR, p.level());  // the quoted "error" in the text
  }

  @Test
  void invalidJsonThatIsLogfmtIsLogfmt() {
    ParsedMessage p = parser.parse("{oops} level=warn msg=x");
    assertEquals("text", p.format());
    ParsedMessage q = parser.parse("level=warn msg={oops}");
    assertEquals("logfmt", q.format());
    assertEquals("{oops}", q.message());
  }

  @Test
  void deeplyNestedJsonDoesNotThrow() {
    String deep = "{\"msg\":\"x\",\"a\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}";
    ParsedMessage p = parser.parse(deep);
    assertEquals("text", p.format());  // over Jackson's nesting limit
    assertEquals(deep, p.message());
  }

  // ---------------------------------------------------------------- logfmt

  @Test
  void goKitLogfmt() {
    List<String> lines = Fixtures.lines("logfmt/go-kit.log");
    ParsedMessage start = parser.parse(lines.get(0));
    assertEquals("logfmt", start.format());
    assertEquals("starting server", start.message());
    assertEquals(LogLevel.INFO, start.level());
    assertEquals("info", start.originalLevel());
    assertEquals(List.of("ts", "caller", "addr"), List.copyOf(start.fields().keySet()));
    assertEquals(":8080", start.fields().get("addr"));

    ParsedMessage alert = parser.parse(lines.get(1));
    assertEquals(LogLevel.WARN, alert.level());
    assertEquals("Notify for alerts failed", alert.message());
    assertEquals("ops-pager/webhook[0]: notify retry canceled after 16 attempts: Post "
        + "\"http://pager:9000/hook\": dial tcp 10.0.4.2:9000: connect: connection refused",
        alert.fields().get("err"));
    assertEquals("2", alert.fields().get("num_alerts"));

    assertEquals("uploading tables", parser.parse(lines.get(2)).message());

    ParsedMessage grafana = parser.parse(lines.get(3));
    assertEquals("Request Completed", grafana.message());
    assertEquals("", grafana.fields().get("uname"));
    assertEquals("", grafana.fields().get("referer"));
    assertEquals("/api/health", grafana.fields().get("handler"));
  }

  @Test
  void logrusTextFormatter() {
    List<String> lines = Fixtures.lines("logfmt/logrus-text.log");
    ParsedMessage disk = parser.parse(lines.get(0));
    assertEquals("logfmt", disk.format());
    assertEquals(LogLevel.WARN, disk.level());
    assertEquals("warning", disk.originalLevel());
    assertEquals(Map.of("time", "2024-03-12T09:41:28Z", "mount", "/var/lib/docker", "used_pct",
        "91.5"), disk.fields());

    ParsedMessage moby = parser.parse(lines.get(1));
    assertEquals(LogLevel.ERROR, moby.level());
    assertEquals("Handler for GET /v1.43/containers/x/json returned error: No such container: x",
        moby.message());

    ParsedMessage escapes = parser.parse(lines.get(2));
    assertEquals(LogLevel.DEBUG, escapes.level());
    assertEquals("multi\nline\tvalue é", escapes.message());
  }

  @Test
  void logfmtWithoutMessageKeepsTheWholeText() {
    ParsedMessage p = parser.parse("status=200 duration=12ms path=/health");
    assertEquals("logfmt", p.format());
    assertEquals("status=200 duration=12ms path=/health", p.message());
    assertEquals(LogLevel.UNKNOWN, p.level());
    assertEquals("", p.originalLevel());
    assertEquals(Map.of("status", "200", "duration", "12ms", "path", "/health"), p.fields());
  }

  @Test
  void logfmtValuesMayHoldEqualsSignsAndOddEscapes() {
    ParsedMessage p = parser.parse("msg=\"a \\x b \\u12\" url=/q?a=b&c=d lvl=E");
    assertEquals("logfmt", p.format());
    assertEquals("a \\x b \\u12", p.message());
    assertEquals("/q?a=b&c=d", p.fields().get("url"));
    assertEquals(LogLevel.ERROR, p.level());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "level=info",                                   // one pair only
      "Processing request id=5 user=bob",             // words before the pairs
      "level=info msg=\"unterminated",
      "level=info msg=\"glued\"x",
      "level=info msg=he\"llo",
      "level=info flag msg=x",                        // a bare key
      "9x=1 y=2",                                     // a key must not start with a digit
      "level=info msg=x\n\tat com.example.A.b(A.java:1)",
  })
  void notLogfmt(String line) {
    assertEquals("text", parser.parse(line).format());
  }

  // ---------------------------------------------------------------- text

  @TestFactory
  List<DynamicTest> findsTheLevelInRecordedPlainTextLines() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String row : Fixtures.lines("text/levels.tsv")) {
      int tab = row.indexOf('\t');
      LogLevel expected = LogLevel.valueOf(row.substring(0, tab));
      String line = row.substring(tab + 1);
      tests.add(DynamicTest.dynamicTest(line, () -> {
        ParsedMessage p = parser.parse(line);
        assertEquals(expected, p.level(), line);
        assertEquals("text", p.format());
        assertEquals(line, p.message());
        assertEquals(expected == LogLevel.UNKNOWN, p.originalLevel().isEmpty(), p.originalLevel());
      }));
    }
    assertTrue(tests.size() > 30);
    return tests;
  }

  @Test
  void originalLevelIsTheWordAsWritten() {
    assertEquals("notice", parser.parse("2024/03/12 09:41:00 [notice] 1#1: start").originalLevel());
    assertEquals("WARNING", parser.parse("WARNING: low disk").originalLevel());
    assertEquals("E", parser.parse("E0312 09:41:38.123456 1 x.go:1] boom").originalLevel());
    assertEquals("Error", parser.parse("Error: Cannot find module").originalLevel());
  }

  @Test
  void onlyTheFirstLineAndItsFirst120CharactersAreScanned() {
    String late = "x".repeat(121) + " ERROR late";
    assertEquals(LogLevel.UNKNOWN, parser.parse(late).level());
    String early = "x".repeat(100) + " ERROR early";
    assertEquals(LogLevel.ERROR, parser.parse(early).level());
    assertEquals(LogLevel.UNKNOWN, parser.parse("done\nERROR on the second line").level());
  }

  @Test
  void aStackTraceWithoutLevelIsAnError() {
    List<String> java = Fixtures.lines("multiline/java.log");
    String trace = String.join("\n", java.subList(1, 18));
    ParsedMessage p = parser.parse(trace);
    assertEquals(LogLevel.ERROR, p.level());
    assertEquals("", p.originalLevel());
    assertEquals(trace, p.message());

    List<String> python = Fixtures.lines("multiline/python.log");
    String traceback = String.join("\n", python.subList(2, 17));
    assertEquals(LogLevel.ERROR, parser.parse(traceback).level());

    // The header alone is not a trace.
    assertEquals(LogLevel.UNKNOWN, parser.parse("java.lang.IllegalStateException: boom").level());
  }

  @Test
  void aStackTraceUnderALevelKeepsThatLevel() {
    String warn = "2024-03-12 09:41:24.500  WARN 1 --- [exec-5] c.e.o.OrderController : slow\n"
        + "\tat com.example.orders.PricingClient.price(PricingClient.java:64)";
    assertEquals(LogLevel.WARN, parser.parse(warn).level());
  }

  @Test
  void emptyTextIsUnknownText() {
    for (String s : new String[] {"", "   ", "{", "}", "{ }x", "=", "\"", "\\"}) {
      ParsedMessage p = parser.parse(s);
      assertEquals(LogLevel.UNKNOWN, p.level(), s);
      assertEquals(s, p.message());
    }
  }

  @Test
  void anyTextParsesWithoutThrowing() {
    Random random = new Random(7);
    String alphabet = "{}[]\":,= \\\tlevelmsgERROR0123456789.-_au\n";
    for (int i = 0; i < 20_000; i++) {
      char[] c = new char[random.nextInt(60)];
      for (int k = 0; k < c.length; k++) {
        c[k] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      if (c.length > 1 && random.nextBoolean()) {
        c[0] = '{';
        c[c.length - 1] = '}';
      }
      String s = new String(c);
      ParsedMessage p = parser.parse(s);
      assertTrue(Arrays.asList("json", "logfmt", "text").contains(p.format()), s);
      for (Object v : p.fields().values()) {
        assertTrue(isPlainValue(v), s + " -> " + v);
      }
    }
  }

  private static boolean isPlainValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return m instanceof LinkedHashMap && m.values().stream().allMatch(MessageParserTest::isPlainValue);
    }
    if (v instanceof List<?> l) {
      return l.stream().allMatch(MessageParserTest::isPlainValue);
    }
    return v == null || v instanceof String || v instanceof Number || v instanceof Boolean;
  }
}
