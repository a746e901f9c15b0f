package io.swarmscope.exporter.host;

import java.io.IOException;

/**
 * The kernel's clock discipline as adjtimex(2) reports it; injected so that the timex collector
 * is tested on fixed values.
 */
@FunctionalInterface
public interface KernelClock {

  /**
   * The fields of {@code struct timex} that node_exporter exports, raw (units as the kernel gives
   * them: offset and jitter in microseconds, or nanoseconds with {@code STA_NANO} in
   * {@code status}; frequencies in 2^-16 ppm), and the call's return value, the clock state
   * ({@code TIME_OK} 0 ... {@code TIME_ERROR} 5).
   */
  record Timex(int state, long offset, long freq, long maxerror, long esterror, int status,
      long constant, long tick, long ppsfreq, long jitter, int shift, long stabil, long jitcnt,
      long calcnt, long errcnt, long stbcnt, int tai) {}

  /** Reads the state without changing it; throws {@link PermissionDeniedException} on EPERM. */
  Timex read() throws IOException;

  /** adjtimex was refused (a seccomp profile that blocks it), which is the host's shape, not a fault. */
  final class PermissionDeniedException extends IOException {
    public PermissionDeniedException(String message) {
      super(message);
    }
  }
}
