package io.swarmscope.shipper.output.logstash;

import static io.swarmscope.shipper.output.logstash.TestEvents.TS;
import static io.swarmscope.shipper.output.logstash.TestEvents.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramingAndJsonTest {

  @Test
  void octetCountingPrefixesTheLengthInBytes() {
    byte[] msg = "<134>1 - h\u00e9\nx".getBytes(StandardCharsets.UTF_8);
    assertEquals(14, msg.length);
    assertEquals("14 <134>1 - h\u00e9\nx", utf8(Framing.OCTET_COUNTING.frame(msg)));
    assertEquals(17, Framing.OCTET_COUNTING.framedLength(14));
    assertEquals(11, Framing.OCTET_COUNTING.framedLength(9));
    assertEquals(1005, Framing.OCTET_COUNTING.framedLength(1000));
  }

  @Test
  void newlineFramingEndsEachMessageWithALineFeed() {
    assertEquals("abc\n", utf8(Framing.NEWLINE.frame("abc".getBytes(StandardCharsets.UTF_8))));
    assertEquals(4, Framing.NEWLINE.framedLength(3));
  }

  @Test
  void jsonLineIsTheEcsDocumentAndHasNoRawLineFeed() {
    LogEvent e = TestEvents.event(TestEvents.swarmContainer(), "node-1", TS, 0, LogStream.STDERR,
        "first\nsecond \"quoted\"", LogLevel.ERROR);
    JsonLinesEncoder json = new JsonLinesEncoder();
    assertSame(e.document(), json.encode(e));
    assertFalse(json.truncatable());
    String line = utf8(Framing.NEWLINE.frame(json.encode(e)));
    assertEquals(line.indexOf('\n'), line.length() - 1, line);
    assertEquals(utf8(e.document()) + "\n", line);
    assertEquals(-1, utf8(e.document()).indexOf('\n'));
  }

  @Test
  void utf8TruncationNeverSplitsACharacter() {
    byte[] b = "ab\u00e9\u2603\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 2 + 2 + 3 + 4 bytes
    assertEquals(11, b.length);
    assertSame(b, Utf8.truncate(b, 11));
    assertEquals("ab\u00e9\u2603", utf8(Utf8.truncate(b, 10)));
    assertEquals("ab\u00e9\u2603", utf8(Utf8.truncate(b, 7)));
    assertEquals("ab\u00e9", utf8(Utf8.truncate(b, 6)));
    assertEquals("ab\u00e9", utf8(Utf8.truncate(b, 4)));
    assertEquals("ab", utf8(Utf8.truncate(b, 3)));
    assertArrayEquals(new byte[0], Utf8.truncate(b, 0));
  }
}
