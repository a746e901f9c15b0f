package io.swarmscope.shipper.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.pipeline.ContainerTrack;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogCapacityTest {

  @Test
  void jsonFileRotatesOnlyWithMaxSize() {
    assertEquals(LogCapacity.UNBOUNDED, LogCapacity.of("json-file", Map.of()));
    assertEquals(2 * 10_000_000L, LogCapacity.of("json-file", Map.of("max-size", "10m", "max-file", "3")));
    assertEquals(0L, LogCapacity.of("json-file", Map.of("max-size", "20k")), "one file: truncated when full");
  }

  @Test
  void localDriverDefaultsToFiveTimesTwentyMegabytes() {
    assertEquals(80_000_000L, LogCapacity.of("local", Map.of()));
    assertEquals(1_500_000_000L, LogCapacity.of("local", Map.of("max-size", "1.5g", "max-file", "2")));
  }

  @Test
  void otherDriversAreUnknown() {
    assertEquals(LogCapacity.UNKNOWN, LogCapacity.of("journald", Map.of()));
  }

  @Test
  void horizonIsCapacityOverTheWriteRateInLogTime() {
    ContainerTrack t = new ContainerTrack(new ContainerIdentity("x".repeat(64), "c", "i", Map.of()),
        1_000_000, 0);
    assertEquals(Double.POSITIVE_INFINITY, t.bufferHorizonSeconds(), "nothing written yet");
    t.bufferHorizonSeconds();
    // 10 s of log time, 1000 bytes a second, read in one go as a backlog would be
    long base = 1_000_000_000_000L;
    feed(t, base, 0);
    t.bufferHorizonSeconds();
    for (int i = 1; i <= 10; i++) {
      feed(t, base + i * 1_000_000_000L, 1000);
    }
    assertEquals(1000.0, t.bufferHorizonSeconds(), 1e-6, "1 MB at 1 kB/s");
  }

  private static void feed(ContainerTrack t, long ts, long bytes) {
    t.read(ts, bytes);
  }
}
