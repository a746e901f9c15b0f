package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeCollectorTest {

  private static final Instant NOW = Instant.parse("2024-07-01T12:00:00.25Z");
  private static final String CLOCKSOURCE = "sys/devices/system/clocksource/";

  @TempDir Path dir;

  @Test
  void exportsClockTimeZoneAndClocksources() {
    var tree = new FixtureTree(dir)
        .file(CLOCKSOURCE + "clocksource0/available_clocksource", "tsc kvm-clock acpi_pm \n")
        .file(CLOCKSOURCE + "clocksource0/current_clocksource", "kvm-clock\n")
        .file(CLOCKSOURCE + "clocksource1/available_clocksource", "hpet\n")
        .file(CLOCKSOURCE + "clocksource1/current_clocksource", "hpet\n");
    Clock clock = Clock.fixed(NOW, ZoneId.of("Europe/Berlin"));
    assertEquals("""
        # HELP node_time_clocksource_available_info Available clocksources read from '/sys/devices/system/clocksource'.
        # TYPE node_time_clocksource_available_info gauge
        node_time_clocksource_available_info{clocksource="acpi_pm",device="0"} 1.0
        node_time_clocksource_available_info{clocksource="hpet",device="1"} 1.0
        node_time_clocksource_available_info{clocksource="kvm-clock",device="0"} 1.0
        node_time_clocksource_available_info{clocksource="tsc",device="0"} 1.0
        # HELP node_time_clocksource_current_info Current clocksource read from '/sys/devices/system/clocksource'.
        # TYPE node_time_clocksource_current_info gauge
        node_time_clocksource_current_info{clocksource="hpet",device="1"} 1.0
        node_time_clocksource_current_info{clocksource="kvm-clock",device="0"} 1.0
        # HELP node_time_seconds System time in seconds since epoch (1970).
        # TYPE node_time_seconds gauge
        node_time_seconds 1.71983520025E9
        # HELP node_time_zone_offset_seconds System time zone offset in seconds.
        # TYPE node_time_zone_offset_seconds gauge
        node_time_zone_offset_seconds{time_zone="CEST"} 7200.0
        """, Exposition.text(new TimeCollector(tree.paths(), clock)));
  }

  @Test
  void deviceLabelIsThePositionInNameOrder() {
    // Go's glob sorts clocksource10 before clocksource2; node_exporter labels by that position.
    var tree = new FixtureTree(dir)
        .file(CLOCKSOURCE + "clocksource2/available_clocksource", "tsc\n")
        .file(CLOCKSOURCE + "clocksource2/current_clocksource", "tsc\n")
        .file(CLOCKSOURCE + "clocksource10/available_clocksource", "hpet\n")
        .file(CLOCKSOURCE + "clocksource10/current_clocksource", "hpet\n");
    String text = Exposition.text(new TimeCollector(tree.paths(), Clock.fixed(NOW, ZoneOffset.UTC)));
    assertTrue(text.contains("node_time_clocksource_current_info{clocksource=\"hpet\",device=\"0\"} 1.0"), text);
    assertTrue(text.contains("node_time_clocksource_current_info{clocksource=\"tsc\",device=\"1\"} 1.0"), text);
  }

  @Test
  void utcClockWithoutClocksourcesExportsTimeOnly() {
    var tree = new FixtureTree(dir);
    assertEquals("""
        # HELP node_time_seconds System time in seconds since epoch (1970).
        # TYPE node_time_seconds gauge
        node_time_seconds 1.71983520025E9
        # HELP node_time_zone_offset_seconds System time zone offset in seconds.
        # TYPE node_time_zone_offset_seconds gauge
        node_time_zone_offset_seconds{time_zone="UTC"} 0.0
        """, Exposition.text(new TimeCollector(tree.paths(), Clock.fixed(NOW, ZoneOffset.UTC))));
  }

  @Test
  void clocksourceWithoutCurrentFileIsAnError() {
    var tree = new FixtureTree(dir).file(CLOCKSOURCE + "clocksource0/available_clocksource", "tsc\n");
    assertThrows(Exception.class, () -> new TimeCollector(tree.paths(), Clock.fixed(NOW, ZoneOffset.UTC))
        .collect(new ArrayList<>()));
  }
}
