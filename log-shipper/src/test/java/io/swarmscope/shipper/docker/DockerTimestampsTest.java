package io.swarmscope.shipper.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DockerTimestampsTest {

  @Test
  void fixedFormRoundTripsWithNineDigits() {
    String[] samples = {"2026-12-01T18:49:35.105189965Z", "2026-12-01T18:49:35.100000000Z",
        "2026-01-01T00:00:00.000000000Z"};
    DockerTimestamps t = new DockerTimestamps();
    for (String s : samples) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      long nanos = t.parse(b, 0, b.length);
      assertEquals(s, DockerTimestamps.format(nanos));
    }
  }

  @Test
  void otherFormsGoThroughJavaTimeAndGarbageIsRejected() {
    DockerTimestamps t = new DockerTimestamps();
    byte[] offset = "2026-12-01T19:49:35.5+01:00".getBytes(StandardCharsets.US_ASCII);
    assertEquals("2026-12-01T18:49:35.500000000Z", DockerTimestamps.format(t.parse(offset, 0, offset.length)));
    byte[] bad = "not a time".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Long.MIN_VALUE, t.parse(bad, 0, bad.length));
    assertEquals("1796150975.000000001", DockerTimestamps.queryForm(1796150975_000000001L));
  }
}
