package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.KernelClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimexCollectorTest {

  /** Distinct values; status 0x2001 is STA_PLL with STA_NANO, so offset and jitter are in ns. */
  private static final KernelClock.Timex NANO = new KernelClock.Timex(0, -1_250_000, 655_360,
      16_000, 1_500, 0x2001, 7, 10_000, 131_072, 2_500, 4, 196_608, 11, 12, 13, 14, 37);

  @Test
  void convertsLikeNodeExporter() {
    assertEquals("""
        # HELP node_timex_estimated_error_seconds Estimated error in seconds.
        # TYPE node_timex_estimated_error_seconds gauge
        node_timex_estimated_error_seconds 0.0015
        # HELP node_timex_frequency_adjustment_ratio Local clock frequency adjustment.
        # TYPE node_timex_frequency_adjustment_ratio gauge
        node_timex_frequency_adjustment_ratio 1.00001
        # HELP node_timex_loop_time_constant Phase-locked loop time constant.
        # TYPE node_timex_loop_time_constant gauge
        node_timex_loop_time_constant 7.0
        # HELP node_timex_maxerror_seconds Maximum error in seconds.
        # TYPE node_timex_maxerror_seconds gauge
        node_timex_maxerror_seconds 0.016
        # HELP node_timex_offset_seconds Time offset in between local system and reference clock.
        # TYPE node_timex_offset_seconds gauge
        node_timex_offset_seconds -0.00125
        # HELP node_timex_pps_calibration_total Pulse per second count of calibration intervals.
        # TYPE node_timex_pps_calibration_total counter
        node_timex_pps_calibration_total 12.0
        # HELP node_timex_pps_error_total Pulse per second count of calibration errors.
        # TYPE node_timex_pps_error_total counter
        node_timex_pps_error_total 13.0
        # HELP node_timex_pps_frequency_hertz Pulse per second frequency.
        # TYPE node_timex_pps_frequency_hertz gauge
        node_timex_pps_frequency_hertz 2.0E-6
        # HELP node_timex_pps_jitter_total Pulse per second count of jitter limit exceeded events.
        # TYPE node_timex_pps_jitter_total counter
        node_timex_pps_jitter_total 11.0
        # HELP node_timex_pps_jitter_seconds Pulse per second jitter.
        # TYPE node_timex_pps_jitter_seconds gauge
        node_timex_pps_jitter_seconds 2.5E-6
        # HELP node_timex_pps_shift_seconds Pulse per second interval duration.
        # TYPE node_timex_pps_shift_seconds gauge
        node_timex_pps_shift_seconds 4.0
        # HELP node_timex_pps_stability_exceeded_total Pulse per second count of stability limit exceeded events.
        # TYPE node_timex_pps_stability_exceeded_total counter
        node_timex_pps_stability_exceeded_total 14.0
        # HELP node_timex_pps_stability_hertz Pulse per second stability, average of recent frequency changes.
        # TYPE node_timex_pps_stability_hertz gauge
        node_timex_pps_stability_hertz 3.0E-6
        # HELP node_timex_status Value of the status array bits.
        # TYPE node_timex_status gauge
        node_timex_status 8193.0
        # HELP node_timex_sync_status Is clock synchronized to a reliable server (1 = yes, 0 = no).
        # TYPE node_timex_sync_status gauge
        node_timex_sync_status 1.0
        # HELP node_timex_tai_offset_seconds International Atomic Time (TAI) offset.
        # TYPE node_timex_tai_offset_seconds gauge
        node_timex_tai_offset_seconds 37.0
        # HELP node_timex_tick_seconds Seconds between clock ticks.
        # TYPE node_timex_tick_seconds gauge
        node_timex_tick_seconds 0.01
        """, Exposition.text(new TimexCollector(() -> NANO)));
  }

  @Test
  void microsecondResolutionAndTimeErrorMeanUnsynchronised() {
    var micro = new KernelClock.Timex(5, 1_250, 0, 16_000_000, 16_000_000, 0x0040, 2, 10_000, 0, 0,
        0, 0, 0, 0, 0, 0, 0);
    String text = Exposition.text(new TimexCollector(() -> micro));
    assertTrue(text.contains("node_timex_offset_seconds 0.00125\n"), text);
    assertTrue(text.contains("node_timex_sync_status 0.0\n"), text);
    assertTrue(text.contains("node_timex_maxerror_seconds 16.0\n"), text);
  }

  @Test
  void refusedCallIsNoData() {
    List<MetricSnapshot> out = new ArrayList<>();
    assertThrows(NoDataException.class, () -> new TimexCollector(() -> {
      throw new KernelClock.PermissionDeniedException("operation not permitted");
    }).collect(out));
    assertTrue(out.isEmpty());
  }

  @Test
  void otherFailuresAreErrors() {
    var e = assertThrows(IOException.class, () -> new TimexCollector(() -> {
      throw new IOException("adjtimex: errno 22");
    }).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException);
  }
}
