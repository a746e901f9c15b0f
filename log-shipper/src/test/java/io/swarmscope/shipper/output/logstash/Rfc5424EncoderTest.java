package io.swarmscope.shipper.output.logstash;

import static io.swarmscope.shipper.output.logstash.TestEvents.TS;
import static io.swarmscope.shipper.output.logstash.TestEvents.event;
import static io.swarmscope.shipper.output.logstash.TestEvents.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Rfc5424EncoderTest {

  private final Rfc5424Encoder OCTET = new Rfc5424Encoder(16, false, false);
  private final Rfc5424Encoder NEWLINE = new Rfc5424Encoder(16, true, false);

  @Test
  void swarmTaskWithEveryStructuredDataParameter() {
    LogEvent e = event(TestEvents.swarmContainer(), "node-1", TS, 0, LogStream.STDOUT,
        "GET /orders 200", LogLevel.WARN);
    assertEquals("<132>1 2026-12-01T18:49:35.105189Z node-1 shop_api 3f2a9c1b7d4e stdout "
        + "[swarm@32473 stack=\"shop\" service=\"shop_api\" task=\"shop_api.1.x7k\" "
        + "node_id=\"node1abc\" container=\"shop_api.1.x7k\" "
        + "image=\"registry.example/shop/api:1.4\" level=\"warn\"] GET /orders 200",
        utf8(OCTET.encode(e)));
  }

  @Test
  void plainContainerHasItsNameAsAppNameAndOnlyTheParametersItHas() {
    LogEvent e = event(TestEvents.plainContainer("0123456789abcdef0123", "web"), "docker-host", TS + 7,
        0, LogStream.STDERR, "boom", LogLevel.ERROR);
    assertEquals("<131>1 2026-12-01T18:49:35.105189Z docker-host web 0123456789ab stderr "
        + "[swarm@32473 container=\"web\" image=\"local/busybox:1\" level=\"error\"] boom",
        utf8(OCTET.encode(e)));
  }

  @Test
  void severityFollowsTheNormalisedLevel() {
    Map<LogLevel, Integer> pri = Map.of(LogLevel.TRACE, 135, LogLevel.DEBUG, 135, LogLevel.INFO, 134,
        LogLevel.UNKNOWN, 134, LogLevel.WARN, 132, LogLevel.ERROR, 131, LogLevel.FATAL, 130);
    pri.forEach((level, expected) -> {
      LogEvent e = event(TestEvents.swarmContainer(), "n", TS, 0, LogStream.STDOUT, "x", level);
      assertEquals("<" + expected + ">1 ", utf8(OCTET.encode(e)).substring(0, ("<" + expected + ">1 ").length()),
          level.toString());
    });
    LogEvent e = event(TestEvents.swarmContainer(), "n", TS, 0, LogStream.STDOUT, "x", LogLevel.ERROR);
    assertEquals("<27>1", utf8(new Rfc5424Encoder(SyslogFields.facility("daemon"), false, false)
        .encode(e)).substring(0, 5));
    assertEquals("<11>1", utf8(new Rfc5424Encoder(SyslogFields.facility("user"), false, false)
        .encode(e)).substring(0, 5));
  }

  @Test
  void structuredDataValuesAreEscaped() {
    ContainerIdentity c = new ContainerIdentity(TestEvents.ID, "/odd", "img",
        Map.of(ContainerIdentity.STACK_NAMESPACE, "a\"b\\c]d", ContainerIdentity.SERVICE_NAME,
            "line\nbreak"));
    LogEvent e = event(c, "h", TS, 0, LogStream.STDOUT, "m", LogLevel.INFO);
    assertEquals("<134>1 2026-12-01T18:49:35.105189Z h line_break 3f2a9c1b7d4e stdout "
        + "[swarm@32473 stack=\"a\\\"b\\\\c\\]d\" service=\"line break\" container=\"odd\" "
        + "image=\"img\" level=\"info\"] m", utf8(OCTET.encode(e)));
  }

  @Test
  void nonAsciiStructuredDataValuesAreUtf8AndEscaped() {
    ContainerIdentity c = new ContainerIdentity(TestEvents.ID, "/caf\u00e9", "r\u00e9gistry/\u00e7]\"", Map.of());
    LogEvent e = event(c, "h", TS, 0, LogStream.STDOUT, "m", LogLevel.INFO);
    assertEquals("<134>1 2026-12-01T18:49:35.105189Z h caf_ 3f2a9c1b7d4e stdout "
        + "[swarm@32473 container=\"caf\u00e9\" image=\"r\u00e9gistry/\u00e7\\]\\\"\" "
        + "level=\"info\"] m", utf8(OCTET.encode(e)));
  }

  @Test
  void headerFieldsArePrintableAsciiAndBounded() {
    String longName = "a-very-long-service-name-that-goes-on-and-on-and-on-past-48";
    ContainerIdentity c = new ContainerIdentity(TestEvents.ID, "/x", "img",
        Map.of(ContainerIdentity.SERVICE_NAME, "caf\u00e9 " + longName));
    LogEvent e = event(c, "", TS, 0, LogStream.TTY, "m", LogLevel.INFO);
    String s = utf8(OCTET.encode(e));
    // empty hostname: NILVALUE; app-name: 48 characters, '_' for the space and the é
    assertEquals("<134>1 2026-12-01T18:49:35.105189Z - caf__a-very-long-service-name-that-goes-on-and-o "
        + "3f2a9c1b7d4e tty [", s.substring(0, s.indexOf('[') + 1));
    assertEquals(48, "caf__a-very-long-service-name-that-goes-on-and-o".length());
  }

  @Test
  void multilineMessagesKeepTheirLineFeedsWithOctetCountingAndEscapeThemWithNewlineFraming() {
    LogEvent e = event(TestEvents.swarmContainer(), "node-1", TS, 0, LogStream.STDERR,
        "java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)\n\tat a.B.main(B.java:9)",
        LogLevel.ERROR);
    String octet = utf8(OCTET.encode(e));
    assertEquals("java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)\n\tat a.B.main(B.java:9)",
        octet.substring(octet.indexOf("] ") + 2));
    String newline = utf8(NEWLINE.encode(e));
    assertEquals("java.lang.IllegalStateException: x\\n\tat a.B.c(B.java:1)\\n\tat a.B.main(B.java:9)",
        newline.substring(newline.indexOf("] ") + 2));
  }

  private static String ts5424(long nanos) {
    HeaderBuilder h = new HeaderBuilder();
    Rfc5424Encoder.timestamp(h, nanos);
    io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
    h.writeTo(b);
    return b.toString(StandardCharsets.US_ASCII);
  }

  private static String ts3164(long nanos) {
    HeaderBuilder h = new HeaderBuilder();
    Rfc3164Encoder.timestamp(h, nanos);
    io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
    h.writeTo(b);
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void microsecondsAreCutNotRounded() {
    assertEquals("1970-01-01T00:00:00.999999Z", ts5424(999_999_999L));
    assertEquals("1970-01-01T00:00:00.000001Z", ts5424(1_000L));
    assertEquals("2000-02-29T23:59:59.000000Z", ts5424(951_868_799_000_000_000L));
  }

  @Test
  void timestampsAgreeWithJavaTimeOverTwoCenturies() {
    java.util.Random r = new java.util.Random(42);
    java.time.format.DateTimeFormatter f5424 =
        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    java.time.format.DateTimeFormatter f3164 =
        java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ENGLISH);
    for (int i = 0; i < 20_000; i++) {
      long nanos = (long) (r.nextDouble() * 4_102_444_800L) * 1_000_000_000L + r.nextInt(1_000_000_000);
      java.time.ZonedDateTime t = java.time.Instant.ofEpochSecond(nanos / 1_000_000_000L,
          nanos % 1_000_000_000L).atZone(java.time.ZoneOffset.UTC);
      assertEquals(f5424.format(t), ts5424(nanos), Long.toString(nanos));
      assertEquals(f3164.format(t), ts3164(nanos), Long.toString(nanos));
    }
  }

  @Test
  void utf8MessageWithAndWithoutBom() {
    LogEvent e = event(TestEvents.swarmContainer(), "n", TS, 0, LogStream.STDOUT, "h\u00e9 \u2603",
        LogLevel.INFO);
    byte[] plain = OCTET.encode(e);
    byte[] bom = new Rfc5424Encoder(16, false, true).encode(e);
    String head = utf8(plain).substring(0, utf8(plain).indexOf("] ") + 2);
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] text = "h\u00e9 \u2603".getBytes(StandardCharsets.UTF_8);
    assertEquals(h.length + text.length, plain.length);
    assertEquals(h.length + 3 + text.length, bom.length);
    assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        java.util.Arrays.copyOfRange(bom, h.length, h.length + 3));
  }

  @Test
  void emptyMessageEndsAfterTheStructuredData() {
    LogEvent e = event(TestEvents.plainContainer(TestEvents.ID, "web"), "n", TS, 0, LogStream.STDOUT,
        "", LogLevel.INFO);
    String s = utf8(OCTET.encode(e));
    assertEquals(']', s.charAt(s.length() - 1));
  }
}
