package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.KernelClock;
import java.io.IOException;
import java.util.List;

/**
 * node_exporter's {@code timex} collector: the kernel clock's synchronisation state, offset and
 * error estimates from adjtimex(2), for clock-skew alerts. Converted as node_exporter 1.5 does:
 * offset and PPS jitter by the {@code STA_NANO} resolution, error estimates and the tick from
 * microseconds, frequencies from 2^-16 ppm. Clock state {@code TIME_ERROR} means unsynchronised.
 *
 * <p>A refused call (EPERM from a seccomp profile) is no data, as in node_exporter.
 */
public final class TimexCollector implements Collector {

  private static final int TIME_ERROR = 5;
  private static final int STA_NANO = 0x2000;
  private static final double NANOSECONDS = 1_000_000_000;
  private static final double MICROSECONDS = 1_000_000;
  /** adjtimex(2) NOTES: frequencies are ppm with a 16-bit fractional part. */
  private static final double PPM16FRAC = 1_000_000.0 * 65536.0;

  private final KernelClock clock;

  public TimexCollector(KernelClock clock) {
    this.clock = clock;
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    KernelClock.Timex t;
    try {
      t = clock.read();
    } catch (KernelClock.PermissionDeniedException e) {
      throw new NoDataException("not collecting timex metrics: " + e.getMessage(), e);
    }
    double divisor = (t.status() & STA_NANO) != 0 ? NANOSECONDS : MICROSECONDS;
    gauge(out, "sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
        t.state() == TIME_ERROR ? 0 : 1);
    gauge(out, "offset_seconds", "Time offset in between local system and reference clock.",
        t.offset() / divisor);
    gauge(out, "frequency_adjustment_ratio", "Local clock frequency adjustment.",
        1 + t.freq() / PPM16FRAC);
    gauge(out, "maxerror_seconds", "Maximum error in seconds.", t.maxerror() / MICROSECONDS);
    gauge(out, "estimated_error_seconds", "Estimated error in seconds.", t.esterror() / MICROSECONDS);
    gauge(out, "status", "Value of the status array bits.", t.status());
    gauge(out, "loop_time_constant", "Phase-locked loop time constant.", t.constant());
    gauge(out, "tick_seconds", "Seconds between clock ticks.", t.tick() / MICROSECONDS);
    gauge(out, "pps_frequency_hertz", "Pulse per second frequency.", t.ppsfreq() / PPM16FRAC);
    gauge(out, "pps_jitter_seconds", "Pulse per second jitter.", t.jitter() / divisor);
    gauge(out, "pps_shift_seconds", "Pulse per second interval duration.", t.shift());
    gauge(out, "pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.",
        t.stabil() / PPM16FRAC);
    counter(out, "pps_jitter_total", "Pulse per second count of jitter limit exceeded events.", t.jitcnt());
    counter(out, "pps_calibration_total", "Pulse per second count of calibration intervals.", t.calcnt());
    counter(out, "pps_error_total", "Pulse per second count of calibration errors.", t.errcnt());
    counter(out, "pps_stability_exceeded_total",
        "Pulse per second count of stability limit exceeded events.", t.stbcnt());
    gauge(out, "tai_offset_seconds", "International Atomic Time (TAI) offset.", t.tai());
  }

  private static void gauge(List<MetricSnapshot> out, String name, String help, double value) {
    out.add(Family.gauge("node_timex_" + name, help).add(value).build());
  }

  private static void counter(List<MetricSnapshot> out, String name, String help, double value) {
    out.add(Family.counter("node_timex_" + name, help).add(value).build());
  }
}
