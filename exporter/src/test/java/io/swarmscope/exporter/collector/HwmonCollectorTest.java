package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HwmonCollectorTest {

  @TempDir Path dir;

  /**
   * A chip as sysfs lays it out: the hwmon directory under its device, linked from
   * class/hwmon, with a {@code device} link back to the device when it has one.
   */
  private void chip(FixtureTree tree, String hwmon, String devicePath, Map<String, String> files,
      Map<String, String> deviceFiles) throws IOException {
    String chipDir = (devicePath == null ? "sys/devices/virtual/thermal/thermal_zone0" : devicePath)
        + "/hwmon/" + hwmon;
    files.forEach((file, value) -> tree.file(chipDir + "/" + file, value + "\n"));
    deviceFiles.forEach((file, value) -> tree.file(devicePath + "/" + file, value + "\n"));
    Files.createDirectories(dir.resolve(chipDir));
    Files.createDirectories(dir.resolve("sys/class/hwmon"));
    Files.createSymbolicLink(dir.resolve("sys/class/hwmon/" + hwmon),
        dir.resolve("sys/class/hwmon").relativize(dir.resolve(chipDir)));
    if (devicePath != null) {
      Files.createSymbolicLink(dir.resolve(chipDir + "/device"),
          dir.resolve(chipDir).relativize(dir.resolve(devicePath)));
    }
  }

  /**
   * A CPU package sensor (labels with blanks), a Super-I/O chip with voltages, fans, PWM and the
   * chip-wide beep and VRM files, a virtual ACPI thermal zone without a device (named by its name
   * file), and an old-style power meter whose sensor files sit in its device directory. Every
   * value is distinct so that a unit or scale mix-up shows.
   */
  private FixtureTree host() throws IOException {
    var tree = new FixtureTree(dir);
    chip(tree, "hwmon0", "sys/devices/platform/coretemp.0", Map.of("name", "coretemp",
        "temp1_input", "55000", "temp1_label", "Package id 0", "temp1_max", "84000",
        "temp1_crit", "100000", "temp1_crit_alarm", "0", "temp2_input", "52000",
        "temp2_label", "Core 0"), Map.of());
    chip(tree, "hwmon1", "sys/devices/platform/nct6775.656", Map.ofEntries(Map.entry("name", "nct6779"),
        Map.entry("in0_input", "1048"), Map.entry("in0_min", "600"), Map.entry("in0_max", "1744"),
        Map.entry("in0_alarm", "1"), Map.entry("in0_beep", "0"), Map.entry("fan2_input", "1181"),
        Map.entry("fan2_min", "300"), Map.entry("fan2_alarm", "0"), Map.entry("fan2_pulses", "2"),
        Map.entry("pwm2", "128"), Map.entry("pwm2_enable", "5"), Map.entry("cpu0_vid", "1350"),
        Map.entry("intrusion0_alarm", "1"), Map.entry("beep_enable", "1"), Map.entry("vrm", "9.1"),
        Map.entry("curr1_input", "1250"), Map.entry("temp7_input", "garbage"),
        Map.entry("uevent", "DRIVER=nct6775")), Map.of());
    chip(tree, "hwmon2", null, Map.of("name", "acpitz", "temp1_input", "27800",
        "temp1_crit", "119000", "update_interval", "2000"), Map.of());
    chip(tree, "hwmon3", "sys/devices/LNXSYSTM:00/device:00/ACPI0000:00", Map.of(),
        Map.of("power1_average", "345000000", "power1_average_interval", "1000",
            "power1_accuracy", "95000", "energy1_input", "123456789012", "humidity1_input", "45600"));
    tree.file("sys/class/hwmon/README", "not a chip\n");
    return tree;
  }

  @Test
  void exportsSensorsWithNodeExportersNamesAndUnits() throws IOException {
    assertEquals("""
        # HELP node_hwmon_beep_enabled Hardware beep enabled
        # TYPE node_hwmon_beep_enabled gauge
        node_hwmon_beep_enabled{chip="platform_nct6775_656",sensor="beep_enable0"} 1.0
        # HELP node_hwmon_chip_names Annotation metric for human-readable chip names
        # TYPE node_hwmon_chip_names gauge
        node_hwmon_chip_names{chip="acpitz",chip_name="acpitz"} 1.0
        node_hwmon_chip_names{chip="platform_coretemp_0",chip_name="coretemp"} 1.0
        node_hwmon_chip_names{chip="platform_nct6775_656",chip_name="nct6779"} 1.0
        # HELP node_hwmon_cpu_vid_volts Hardware monitor for voltage (vid)
        # TYPE node_hwmon_cpu_vid_volts gauge
        node_hwmon_cpu_vid_volts{chip="platform_nct6775_656",sensor="cpu0"} 1.35
        # HELP node_hwmon_curr_amps Hardware monitor for current (input)
        # TYPE node_hwmon_curr_amps gauge
        node_hwmon_curr_amps{chip="platform_nct6775_656",sensor="curr1"} 1.25
        # HELP node_hwmon_energy_joule_total Hardware monitor for joules used so far (input)
        # TYPE node_hwmon_energy_joule_total counter
        node_hwmon_energy_joule_total{chip="device:00_acpi0000:00",sensor="energy1"} 123456.789012
        # HELP node_hwmon_fan_alarm Hardware sensor alarm status (fan)
        # TYPE node_hwmon_fan_alarm gauge
        node_hwmon_fan_alarm{chip="platform_nct6775_656",sensor="fan2"} 0.0
        # HELP node_hwmon_fan_min_rpm Hardware monitor for fan revolutions per minute (min)
        # TYPE node_hwmon_fan_min_rpm gauge
        node_hwmon_fan_min_rpm{chip="platform_nct6775_656",sensor="fan2"} 300.0
        # HELP node_hwmon_fan_pulses Hardware monitor fan element pulses
        # TYPE node_hwmon_fan_pulses gauge
        node_hwmon_fan_pulses{chip="platform_nct6775_656",sensor="fan2"} 2.0
        # HELP node_hwmon_fan_rpm Hardware monitor for fan revolutions per minute (input)
        # TYPE node_hwmon_fan_rpm gauge
        node_hwmon_fan_rpm{chip="platform_nct6775_656",sensor="fan2"} 1181.0
        # HELP node_hwmon_humidity Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (input)
        # TYPE node_hwmon_humidity gauge
        node_hwmon_humidity{chip="device:00_acpi0000:00",sensor="humidity1"} 0.0456
        # HELP node_hwmon_in_alarm Hardware sensor alarm status (in)
        # TYPE node_hwmon_in_alarm gauge
        node_hwmon_in_alarm{chip="platform_nct6775_656",sensor="in0"} 1.0
        # HELP node_hwmon_in_beep_enabled Hardware monitor sensor has beeping enabled
        # TYPE node_hwmon_in_beep_enabled gauge
        node_hwmon_in_beep_enabled{chip="platform_nct6775_656",sensor="in0"} 0.0
        # HELP node_hwmon_in_max_volts Hardware monitor for voltage (max)
        # TYPE node_hwmon_in_max_volts gauge
        node_hwmon_in_max_volts{chip="platform_nct6775_656",sensor="in0"} 1.744
        # HELP node_hwmon_in_min_volts Hardware monitor for voltage (min)
        # TYPE node_hwmon_in_min_volts gauge
        node_hwmon_in_min_volts{chip="platform_nct6775_656",sensor="in0"} 0.6
        # HELP node_hwmon_in_volts Hardware monitor for voltage (input)
        # TYPE node_hwmon_in_volts gauge
        node_hwmon_in_volts{chip="platform_nct6775_656",sensor="in0"} 1.048
        # HELP node_hwmon_intrusion_alarm Hardware sensor alarm status (intrusion)
        # TYPE node_hwmon_intrusion_alarm gauge
        node_hwmon_intrusion_alarm{chip="platform_nct6775_656",sensor="intrusion0"} 1.0
        # HELP node_hwmon_power_accuracy Hardware monitor power meter accuracy, as a ratio
        # TYPE node_hwmon_power_accuracy gauge
        node_hwmon_power_accuracy{chip="device:00_acpi0000:00",sensor="power1"} 0.095
        # HELP node_hwmon_power_average_interval_seconds Hardware monitor power usage update interval (average_interval)
        # TYPE node_hwmon_power_average_interval_seconds gauge
        node_hwmon_power_average_interval_seconds{chip="device:00_acpi0000:00",sensor="power1"} 1.0
        # HELP node_hwmon_power_average_watt Hardware monitor for power usage in watts (average)
        # TYPE node_hwmon_power_average_watt gauge
        node_hwmon_power_average_watt{chip="device:00_acpi0000:00",sensor="power1"} 345.0
        # HELP node_hwmon_pwm Hardware monitor pwm element\s
        # TYPE node_hwmon_pwm gauge
        node_hwmon_pwm{chip="platform_nct6775_656",sensor="pwm2"} 128.0
        # HELP node_hwmon_pwm_enable Hardware monitor pwm element enable
        # TYPE node_hwmon_pwm_enable gauge
        node_hwmon_pwm_enable{chip="platform_nct6775_656",sensor="pwm2"} 5.0
        # HELP node_hwmon_sensor_label Label for given chip and sensor
        # TYPE node_hwmon_sensor_label gauge
        node_hwmon_sensor_label{chip="platform_coretemp_0",label="Core 0",sensor="temp2"} 1.0
        node_hwmon_sensor_label{chip="platform_coretemp_0",label="Package id 0",sensor="temp1"} 1.0
        # HELP node_hwmon_temp_celsius Hardware monitor for temperature (input)
        # TYPE node_hwmon_temp_celsius gauge
        node_hwmon_temp_celsius{chip="acpitz",sensor="temp1"} 27.8
        node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 55.0
        node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp2"} 52.0
        # HELP node_hwmon_temp_crit_alarm_celsius Hardware monitor for temperature (crit_alarm)
        # TYPE node_hwmon_temp_crit_alarm_celsius gauge
        node_hwmon_temp_crit_alarm_celsius{chip="platform_coretemp_0",sensor="temp1"} 0.0
        # HELP node_hwmon_temp_crit_celsius Hardware monitor for temperature (crit)
        # TYPE node_hwmon_temp_crit_celsius gauge
        node_hwmon_temp_crit_celsius{chip="acpitz",sensor="temp1"} 119.0
        node_hwmon_temp_crit_celsius{chip="platform_coretemp_0",sensor="temp1"} 100.0
        # HELP node_hwmon_temp_max_celsius Hardware monitor for temperature (max)
        # TYPE node_hwmon_temp_max_celsius gauge
        node_hwmon_temp_max_celsius{chip="platform_coretemp_0",sensor="temp1"} 84.0
        # HELP node_hwmon_update_interval_seconds Hardware monitor update interval
        # TYPE node_hwmon_update_interval_seconds gauge
        node_hwmon_update_interval_seconds{chip="acpitz",sensor="update_interval0"} 2.0
        # HELP node_hwmon_voltage_regulator_version Hardware voltage regulator
        # TYPE node_hwmon_voltage_regulator_version gauge
        node_hwmon_voltage_regulator_version{chip="platform_nct6775_656",sensor="vrm0"} 9.1
        """, Exposition.text(new HwmonCollector(host().paths())));
  }

  @Test
  void chipsWhoseNamesCollideKeepTheFirstChipsSeries() throws IOException {
    // Two virtual chips with the same name file and no device: node_exporter derives the same
    // chip label for both, and its registry rejects the second chip's series.
    var tree = new FixtureTree(dir);
    tree.file("sys/class/hwmon/hwmon0/name", "acpitz\n").file("sys/class/hwmon/hwmon0/temp1_input", "27800\n")
        .file("sys/class/hwmon/hwmon1/name", "acpitz\n").file("sys/class/hwmon/hwmon1/temp1_input", "29800\n")
        .file("sys/class/hwmon/hwmon1/temp2_input", "31000\n");
    assertEquals("""
        # HELP node_hwmon_chip_names Annotation metric for human-readable chip names
        # TYPE node_hwmon_chip_names gauge
        node_hwmon_chip_names{chip="acpitz",chip_name="acpitz"} 1.0
        # HELP node_hwmon_temp_celsius Hardware monitor for temperature (input)
        # TYPE node_hwmon_temp_celsius gauge
        node_hwmon_temp_celsius{chip="acpitz",sensor="temp1"} 27.8
        node_hwmon_temp_celsius{chip="acpitz",sensor="temp2"} 31.0
        """, Exposition.text(new HwmonCollector(tree.paths())));
  }

  @Test
  void hostWithoutHwmonIsNoData() {
    var collector = new HwmonCollector(new FixtureTree(dir).paths());
    assertThrows(NoDataException.class, () -> collector.collect(new ArrayList<>()));
  }

  @Test
  void cleansNamesAsNodeExporterDoes() {
    assertEquals("platform_coretemp_0", HwmonCollector.cleanMetricName("__Platform coretemp.0\n"));
    assertEquals("acpi0000:00", HwmonCollector.cleanMetricName("ACPI0000:00"));
    assertEquals("", HwmonCollector.cleanMetricName("...\n"));
  }
}
