package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * node_exporter's {@code hwmon} collector: temperatures, voltages, fan speeds, power and the
 * other sensors of {@code <sysfs>/class/hwmon/hwmon*} (what lm-sensors shows), with node_exporter
 * 1.5's names, units and labels {@code {chip, sensor}}: {@code node_hwmon_temp_celsius},
 * {@code node_hwmon_fan_rpm}, {@code node_hwmon_in_volts}, {@code node_hwmon_power_average_watt},
 * plus {@code node_hwmon_chip_names{chip,chip_name}} and
 * {@code node_hwmon_sensor_label{chip,sensor,label}}.
 *
 * <p>As there: a sensor file is {@code <type><n>_<property>} for the types below; each chip's
 * directory and its {@code device/} directory (older drivers put the files there) are read. The
 * {@code chip} label is the device's bus and name ({@code platform_coretemp_0}), else the
 * {@code name} file, else {@code hwmonN}. A value that is not a number leaves its series out; a
 * file that cannot be read too (some drivers answer EAGAIN or EIO). One read of at most 128 bytes
 * per file, like node_exporter's, which a driver that blocks cannot turn into a busy loop.
 *
 * <p>Differences: node_exporter's registry drops a series that two chips both produce with the
 * same labels (chips whose derived names collide) with an error in the log; here the first chip's
 * series is kept and the collision is logged. Hosts without sensors (virtual machines, this
 * project's build machines) have no {@code class/hwmon}: no data. Called by one scrape at a time.
 */
public final class HwmonCollector implements Collector {

  private static final Logger log = LoggerFactory.getLogger(HwmonCollector.class);

  private static final Pattern INVALID_METRIC_CHARS = Pattern.compile("[^a-z0-9:_]");
  private static final Pattern FILENAME = Pattern.compile("^([^0-9]+)([0-9]*)?(_(.+))?$");
  private static final Set<String> SENSOR_TYPES = Set.of("vrm", "beep_enable", "update_interval",
      "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy", "humidity", "intrusion");
  /** What Go's strconv.ParseFloat accepts from a sysfs file; Java's parser is laxer (blanks, "1d"). */
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|(?i:inf|infinity|nan))");
  private static final int READ_SIZE = 128;

  private final Path classHwmon;
  private final ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);

  public HwmonCollector(HostPaths paths) {
    this.classHwmon = paths.sys("class/hwmon");
  }

  /** The families of one scrape by name, each with the help text of its first series. */
  private static final class Families {
    final Map<String, Family> byName = new TreeMap<>();
    final Set<String> seen = new HashSet<>();

    void add(String name, String help, boolean counter, double value, String... labels) {
      String key = name + '\u0000' + String.join("\u0000", labels);
      if (!seen.add(key)) {
        log.warn("hwmon: series {}{chip={}, sensor={}} produced twice (two chips with one name); kept the first",
            name, labels[0], labels.length > 1 ? labels[1] : "");
        return;
      }
      byName.computeIfAbsent(name, n -> counter
          ? Family.counter(n + "_total", help, names(labels.length))
          : Family.gauge(n, help, names(labels.length))).add(value, labels);
    }

    private static String[] names(int count) {
      return switch (count) {
        case 2 -> new String[] {"chip", "sensor"};
        default -> new String[] {"chip", "sensor", "label"};
      };
    }
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    List<Path> chips = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(classHwmon)) {
      dir.forEach(chips::add);
    } catch (NoSuchFileException e) {
      throw new NoDataException("hwmon collector metrics are not available for this system", e);
    }
    chips.sort(null);
    Families families = new Families();
    Family chipNames = Family.gauge("node_hwmon_chip_names",
        "Annotation metric for human-readable chip names", "chip", "chip_name");
    Set<String> namedChips = new HashSet<>();
    IOException last = null;
    for (Path chip : chips) {
      if (!Files.isDirectory(chip)) {
        continue;
      }
      try {
        String name = chipName(chip);
        String humanName = humanReadableName(chip);
        if (humanName != null && namedChips.add(name)) {
          chipNames.add(1, name, humanName);
        }
        collectChip(chip, name, families);
      } catch (IOException e) {
        last = e;
      }
    }
    chipNames.addTo(out);
    for (Family f : families.byName.values()) {
      f.addTo(out);
    }
    if (last != null) {
      throw last;
    }
  }

  private void collectChip(Path chip, String chipName, Families families) throws IOException {
    // Sorted by sensor, then property: the order only matters for which help text a family gets
    // when two of its series would word it differently, and node_exporter's is random there.
    Map<String, Map<String, String>> sensors = new TreeMap<>();
    sensorFiles(chip, sensors);
    Path device = chip.resolve("device");
    if (Files.exists(device)) {
      sensorFiles(device, sensors);
    }
    for (Map.Entry<String, Map<String, String>> e : sensors.entrySet()) {
      String sensor = e.getKey();
      Map<String, String> data = e.getValue();
      Matcher m = FILENAME.matcher(sensor);
      String type = m.matches() ? m.group(1) : sensor;
      String label = data.get("label");
      if (label != null) {
        families.add("node_hwmon_sensor_label", "Label for given chip and sensor", false, 1,
            chipName, sensor, label);
      }
      switch (type) {
        case "beep_enable" -> families.add("node_hwmon_beep_enabled", "Hardware beep enabled", false,
            "1".equals(data.get("")) ? 1 : 0, chipName, sensor);
        case "vrm" -> {
          Double v = parseFloat(data.get(""));
          if (v != null) {
            families.add("node_hwmon_voltage_regulator_version", "Hardware voltage regulator", false,
                v, chipName, sensor);
          }
        }
        case "update_interval" -> {
          Double v = parseFloat(data.get(""));
          if (v != null) {
            families.add("node_hwmon_update_interval_seconds", "Hardware monitor update interval",
                false, v * 0.001, chipName, sensor);
          }
        }
        default -> {
          for (Map.Entry<String, String> element : data.entrySet()) {
            element(families, type, element.getKey(), element.getValue(), data.containsKey(""),
                chipName, sensor);
          }
        }
      }
    }
  }

  /** One sensor file as node_exporter names and scales it. */
  private static void element(Families families, String type, String element, String raw,
      boolean hasBareValue, String chip, String sensor) {
    if (element.equals("label")) {
      return;
    }
    String name = "node_hwmon_" + type;
    if (element.equals("input")) {
      // input is the value itself, unless the sensor also has a bare <type><n> file.
      if (hasBareValue) {
        name += "_input";
      }
    } else if (!element.isEmpty()) {
      name += "_" + cleanMetricName(element);
    }
    Double parsed = parseFloat(raw);
    if (parsed == null) {
      return;
    }
    double v = parsed;
    if (element.equals("fault") || element.equals("alarm")) {
      families.add(name, "Hardware sensor " + element + " status (" + type + ")", false, v, chip, sensor);
    } else if (element.equals("beep")) {
      families.add(name + "_enabled", "Hardware monitor sensor has beeping enabled", false, v, chip, sensor);
    } else if (type.equals("in") || type.equals("cpu")) {
      families.add(name + "_volts", "Hardware monitor for voltage (" + element + ")", false,
          v * 0.001, chip, sensor);
    } else if (type.equals("temp") && !element.equals("type")) {
      families.add(name + "_celsius", "Hardware monitor for temperature ("
          + (element.isEmpty() ? "input" : element) + ")", false, v * 0.001, chip, sensor);
    } else if (type.equals("curr")) {
      families.add(name + "_amps", "Hardware monitor for current (" + element + ")", false,
          v * 0.001, chip, sensor);
    } else if (type.equals("energy")) {
      families.add(name + "_joule", "Hardware monitor for joules used so far (" + element + ")", true,
          v / 1_000_000.0, chip, sensor);
    } else if (type.equals("power") && element.equals("accuracy")) {
      families.add(name, "Hardware monitor power meter accuracy, as a ratio", false,
          v / 1_000_000.0, chip, sensor);
    } else if (type.equals("power") && (element.equals("average_interval")
        || element.equals("average_interval_min") || element.equals("average_interval_max"))) {
      families.add(name + "_seconds", "Hardware monitor power usage update interval (" + element + ")",
          false, v * 0.001, chip, sensor);
    } else if (type.equals("power")) {
      families.add(name + "_watt", "Hardware monitor for power usage in watts (" + element + ")",
          false, v / 1_000_000.0, chip, sensor);
    } else if (type.equals("humidity")) {
      families.add(name, "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the"
          + " humidity as a percentage) (" + element + ")", false, v / 1_000_000.0, chip, sensor);
    } else if (type.equals("fan") && (element.equals("input") || element.equals("min")
        || element.equals("max") || element.equals("target"))) {
      families.add(name + "_rpm", "Hardware monitor for fan revolutions per minute (" + element + ")",
          false, v, chip, sensor);
    } else {
      families.add(name, "Hardware monitor " + type + " element " + element, false, v, chip, sensor);
    }
  }

  /** Adds the sensor files of {@code dir} to {@code sensors}: sensor ("temp1") to property to value. */
  private void sensorFiles(Path dir, Map<String, Map<String, String>> sensors) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher m = FILENAME.matcher(file.getFileName().toString());
        if (!m.matches() || !SENSOR_TYPES.contains(m.group(1))) {
          continue;
        }
        int number;
        try {
          number = m.group(2) == null || m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
          continue;
        }
        String value = readValue(file);
        if (value != null) {
          sensors.computeIfAbsent(m.group(1) + number, s -> new TreeMap<>())
              .put(m.group(4) == null ? "" : m.group(4), value);
        }
      }
    }
  }

  /** One read, trailing newlines cut; {@code null} when the driver refuses it. */
  private String readValue(Path file) {
    try (FileChannel channel = FileChannel.open(file)) {
      buffer.clear();
      int n = channel.read(buffer);
      String s = new String(buffer.array(), 0, Math.max(n, 0), StandardCharsets.UTF_8);
      int end = s.length();
      int start = 0;
      while (end > 0 && s.charAt(end - 1) == '\n') {
        end--;
      }
      while (start < end && s.charAt(start) == '\n') {
        start++;
      }
      return s.substring(start, end);
    } catch (IOException e) {
      return null;
    }
  }

  /** The {@code chip} label: device bus and name, else the name file, else hwmonN. */
  private static String chipName(Path chip) throws IOException {
    try {
      Path device = chip.resolve("device").toRealPath();
      String devName = cleanMetricName(fileName(device));
      String devType = device.getParent() == null ? "" : cleanMetricName(fileName(device.getParent()));
      if (!devType.isEmpty() && !devName.isEmpty()) {
        return devType + "_" + devName;
      }
      if (!devName.isEmpty()) {
        return devName;
      }
    } catch (IOException e) {
      // No device link: a virtual chip; fall back to its name file.
    }
    String name = humanReadableName(chip);
    if (name != null) {
      return name;
    }
    String real = cleanMetricName(fileName(chip.toRealPath()));
    if (real.isEmpty()) {
      throw new IOException("could not derive a monitoring name for " + chip);
    }
    return real;
  }

  /** The cleaned content of the chip's {@code name} file, or {@code null}. */
  private static String humanReadableName(Path chip) {
    try {
      String name = cleanMetricName(Files.readString(chip.resolve("name")));
      return name.isEmpty() ? null : name;
    } catch (IOException e) {
      return null;
    }
  }

  private static String fileName(Path p) {
    return p.getFileName() == null ? "" : p.getFileName().toString();
  }

  /** node_exporter's cleanMetricName: lower case, [^a-z0-9:_] to "_", outer "_" trimmed. */
  static String cleanMetricName(String name) {
    String replaced = INVALID_METRIC_CHARS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
    int start = 0;
    int end = replaced.length();
    while (start < end && replaced.charAt(start) == '_') {
      start++;
    }
    while (end > start && replaced.charAt(end - 1) == '_') {
      end--;
    }
    return replaced.substring(start, end);
  }

  private static Double parseFloat(String s) {
    if (s == null || !FLOAT.matcher(s).matches()) {
      return null;
    }
    String t = s.toLowerCase(Locale.ROOT);
    if (t.endsWith("nan")) {
      return Double.NaN;
    }
    if (t.endsWith("inf") || t.endsWith("infinity")) {
      return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(s);
  }
}
