package io.swarmscope.shipper.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-service token bucket and its configuration, on an injected clock. */
class RateLimiterTest {

  private final AtomicLong clock = new AtomicLong(5_000_000_000L);

  private int passing(RateLimiter r, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += r.tryAcquire() ? 1 : 0;
    }
    return n;
  }

  @Test
  void aBurstOfOneSecondThenTheRate() {
    RateLimiter r = new RateLimiter("api", 100, clock::get);
    assertEquals(100, passing(r, 150), "one second's worth at once");
    clock.addAndGet(10_000_000L);  // 10 ms: one token
    assertEquals(1, passing(r, 5));
    clock.addAndGet(60_000_000_000L);  // a minute idle saves up one second, no more
    assertEquals(100, passing(r, 1000));
  }

  @Test
  void aSteadyOverloadPassesExactlyTheRate() {
    RateLimiter r = new RateLimiter("api", 50, clock::get);
    passing(r, 50);  // the burst
    int passed = 0;
    for (int ms = 0; ms < 10_000; ms++) {  // 10 s at 1000 attempts a second
      clock.addAndGet(1_000_000L);
      passed += passing(r, 1);
    }
    assertEquals(500, passed, "50/s for 10 s");
  }

  @Test
  void dropsAreLoggedAtOnceThenAtMostEveryTenSecondsWithTheirCount() {
    RateLimiter r = new RateLimiter("api", 1, clock::get);
    assertTrue(r.tryAcquire());
    assertEquals(0, r.dropsToLog(), "nothing dropped yet");
    assertFalse(r.tryAcquire());
    assertEquals(1, r.dropsToLog(), "the first drop is logged");
    assertFalse(r.tryAcquire());
    assertFalse(r.tryAcquire());
    assertEquals(0, r.dropsToLog(), "not again within 10 s");
    clock.addAndGet(RateLimiter.LOG_EVERY_NANOS);
    passing(r, 1);  // takes the token saved up meanwhile
    assertFalse(r.tryAcquire());
    assertEquals(3, r.dropsToLog(), "the drops since the last line");
  }

  @Test
  void containersOfOneServiceShareItsLimitAndOverridesWin() {
    ServiceRateLimits limits = new ServiceRateLimits(10,
        ServiceRateLimits.parseOverrides(List.of("batch=0", "shop_api=2.5")), clock::get);
    assertSame(limits.forService("web"), limits.forService("web"));
    assertEquals(10, limits.forService("web").rate());
    assertEquals(2.5, limits.forService("shop_api").rate());
    assertNull(limits.forService("batch"), "0 = unlimited");
    assertNull(ServiceRateLimits.none().forService("web"));
    assertNull(new ServiceRateLimits(0, Map.of("x", 5.0), clock::get).forService("web"));
  }

  @Test
  void badSettingsAreRefusedWithWhatIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceRateLimits.parseOverrides(List.of("shop_api")));
    assertTrue(e.getMessage().contains("service=lines_per_second"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceRateLimits.parseOverrides(List.of("shop_api=fast")));
    assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ServiceRateLimits(-1, Map.of(), clock::get));
    assertThrows(IllegalArgumentException.class,
        () -> new ServiceRateLimits(0, Map.of("a", Double.NaN), clock::get));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter("a", 0, clock::get));
  }
}
