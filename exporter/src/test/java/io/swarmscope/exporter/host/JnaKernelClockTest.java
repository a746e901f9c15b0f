package io.swarmscope.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JnaKernelClockTest {

  @Test
  void readsThisMachinesClockWithPlausibleValues() throws IOException {
    KernelClock.Timex t = new JnaKernelClock().read();
    assertTrue(t.state() >= 0 && t.state() <= 5, t.toString());
    // USER_HZ-independent: the tick is 1e6 / HZ microseconds for HZ between 100 and 1000.
    assertTrue(t.tick() >= 1_000 && t.tick() <= 10_000, t.toString());
    assertTrue(t.maxerror() >= 0 && t.esterror() >= 0, t.toString());
    assertTrue(t.constant() >= 0 && t.constant() <= 10, t.toString());
  }

  @Test
  void readingTwiceChangesNothing() throws IOException {
    var clock = new JnaKernelClock();
    KernelClock.Timex a = clock.read();
    KernelClock.Timex b = clock.read();
    assertEquals(a.status(), b.status());
    assertEquals(a.freq(), b.freq());
    assertEquals(a.tick(), b.tick());
  }
}
