package io.swarmscope.shipper.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DailyIndexTest {

  private static long nanos(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void theDayOfTheLinesOwnTimestampInUtc() {
    DailyIndex d = new DailyIndex("swarmscope-logs");
    assertEquals("swarmscope-logs-2026.12.01", d.name(nanos("2026-12-01T23:59:59.999999999Z")));
    assertEquals("swarmscope-logs-2026.12.02", d.name(nanos("2026-12-02T00:00:00Z")));
    // back again: the cached day is replaced, not trusted
    assertEquals("swarmscope-logs-2026.12.01", d.name(nanos("2026-12-01T00:00:00Z")));
    assertEquals("swarmscope-logs-2024.02.29", d.name(nanos("2024-02-29T12:00:00Z")));
    assertEquals("swarmscope-logs-1970.01.01", d.name(0));
    assertEquals("swarmscope-logs-1969.12.31", d.name(-1));
    assertEquals("swarmscope-logs-*", d.pattern());
  }

  @Test
  void aPrefixElasticsearchWouldRefuseIsRefusedAtStart() {
    assertThrows(IllegalArgumentException.class, () -> new DailyIndex("Swarmscope-Logs"));
    assertThrows(IllegalArgumentException.class, () -> new DailyIndex("_logs"));
    assertThrows(IllegalArgumentException.class, () -> new DailyIndex("logs/x"));
    assertThrows(IllegalArgumentException.class, () -> new DailyIndex(""));
    assertEquals("swarmscope-logs-team_a", new DailyIndex("swarmscope-logs-team_a").prefix());
  }
}
