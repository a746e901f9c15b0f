package io.swarmscope.shipper.output.logstash;

import static io.swarmscope.shipper.output.logstash.TestEvents.TS;
import static io.swarmscope.shipper.output.logstash.TestEvents.event;
import static io.swarmscope.shipper.output.logstash.TestEvents.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Rfc3164EncoderTest {

  private final Rfc3164Encoder OCTET = new Rfc3164Encoder(16, false);
  private final Rfc3164Encoder NEWLINE = new Rfc3164Encoder(16, true);

  @Test
  void bsdSyslogLineWithSpacePaddedDayInUtc() {
    LogEvent e = event(TestEvents.swarmContainer(), "node-1", TS, 0, LogStream.STDOUT,
        "GET /orders 200", LogLevel.WARN);
    assertEquals("<132>Dec  1 18:49:35 node-1 shop_api[3f2a9c1b7d4e]: GET /orders 200",
        utf8(OCTET.encode(e)));
  }

  @Test
  void twoDigitDay() {
    long dec11 = TS + 10L * 86_400 * 1_000_000_000L;
    LogEvent e = event(TestEvents.plainContainer("0123456789abcdef", "web"), "h", dec11, 0,
        LogStream.STDERR, "x", LogLevel.FATAL);
    assertEquals("<130>Dec 11 18:49:35 h web[0123456789ab]: x", utf8(OCTET.encode(e)));
  }

  @Test
  void tagIsSanitisedAndAtMost32Characters() {
    ContainerIdentity c = new ContainerIdentity(TestEvents.ID, "/x", "img",
        Map.of(ContainerIdentity.SERVICE_NAME, "my stack:api[v2]/worker-number-one-two-three"));
    LogEvent e = event(c, "h", TS, 0, LogStream.STDOUT, "x", LogLevel.DEBUG);
    assertEquals("<135>Dec  1 18:49:35 h my_stack_api_v2__worker-number-o[3f2a9c1b7d4e]: x",
        utf8(OCTET.encode(e)));
    assertEquals(32, "my_stack_api_v2__worker-number-o".length());
  }

  @Test
  void lineFeedsAreEscapedOnlyForNewlineFraming() {
    LogEvent e = event(TestEvents.swarmContainer(), "n", TS, 0, LogStream.STDOUT, "a\nb",
        LogLevel.INFO);
    assertEquals("<134>Dec  1 18:49:35 n shop_api[3f2a9c1b7d4e]: a\nb", utf8(OCTET.encode(e)));
    assertEquals("<134>Dec  1 18:49:35 n shop_api[3f2a9c1b7d4e]: a\\nb", utf8(NEWLINE.encode(e)));
  }
}
