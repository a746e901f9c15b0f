package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code time} collector: the system time and time zone offset from the injected
 * {@link Clock}, and the kernel's available and current clocksources from
 * {@code /sys/devices/system/clocksource/clocksource<N>}.
 *
 * <p>The {@code device} label is the position of the clocksource directory in name order, not the
 * number in its name, because that is what node_exporter exports. The zone name is the clock zone's
 * short name in English (e.g. "CEST"); for zones that tzdata gives no letters Go prints "+08" where
 * Java prints a name such as "SGT".
 */
public final class TimeCollector implements Collector {

  private static final Pattern CLOCKSOURCE_DIR = Pattern.compile("clocksource[0-9].*");
  private static final DateTimeFormatter ZONE_NAME =
      DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

  private final Clock clock;
  private final Path clocksources;

  public TimeCollector(HostPaths paths, Clock clock) {
    this.clock = clock;
    this.clocksources = paths.sys("devices/system/clocksource");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    Family available = Family.gauge("node_time_clocksource_available_info",
        "Available clocksources read from '/sys/devices/system/clocksource'.",
        "device", "clocksource");
    Family current = Family.gauge("node_time_clocksource_current_info",
        "Current clocksource read from '/sys/devices/system/clocksource'.",
        "device", "clocksource");
    List<Path> dirs = clocksourceDirectories();
    for (int i = 0; i < dirs.size(); i++) {
      String device = Integer.toString(i);
      for (String name : ProcFiles.fields(ProcFiles.read(dirs.get(i).resolve("available_clocksource")))) {
        available.add(1, device, name);
      }
      current.add(1, device, ProcFiles.readTrimmed(dirs.get(i).resolve("current_clocksource")));
    }

    Instant now = clock.instant();
    out.add(Family.gauge("node_time_seconds", "System time in seconds since epoch (1970).")
        .add(now.getEpochSecond() + now.getNano() / 1e9).build());
    ZoneId zone = clock.getZone();
    out.add(Family.gauge("node_time_zone_offset_seconds", "System time zone offset in seconds.",
            "time_zone")
        .add(zone.getRules().getOffset(now).getTotalSeconds(), zoneName(zone, now)).build());
    available.addTo(out);
    current.addTo(out);
  }

  /**
   * The zone's abbreviation as Go's {@code Time.Zone()} gives it. {@code Clock.systemUTC()} carries
   * the bare offset "Z", which Go names "UTC".
   */
  private static String zoneName(ZoneId zone, Instant now) {
    if (zone.equals(ZoneOffset.UTC)) {
      return "UTC";
    }
    return ZONE_NAME.withZone(zone).format(now);
  }

  /** clocksource0, clocksource1, ... sorted by name as Go's filepath.Glob sorts them. */
  private List<Path> clocksourceDirectories() throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(clocksources,
        p -> CLOCKSOURCE_DIR.matcher(p.getFileName().toString()).matches())) {
      entries.forEach(dirs::add);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    dirs.sort(null);
    return dirs;
  }
}
