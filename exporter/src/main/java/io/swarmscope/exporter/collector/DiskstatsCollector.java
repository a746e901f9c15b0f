package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code node_disk_*} from {@code /proc/diskstats}, plus what node_exporter 1.5 adds from udev's
 * database ({@code <rootfs>/run/udev/data/b<major>:<minor>}): the {@code node_disk_info} labels,
 * {@code node_disk_filesystem_info}, {@code node_disk_device_mapper_info} and the
 * {@code node_disk_ata_*} gauges. Without a udev database (containers, minimal hosts) the info
 * labels are empty and the udev-only series are absent, as with node_exporter.
 *
 * <p>Sectors are the kernel's fixed 512 bytes and times are milliseconds, both converted to base
 * units. Kernels print 11, 15 or 17 statistics per device; only those present are exported.
 *
 * <p>Options: {@code collector.diskstats.device-exclude} (default {@link #DEFAULT_DEVICE_EXCLUDE})
 * or {@code collector.diskstats.device-include}. Called by one scrape at a time.
 */
public final class DiskstatsCollector implements Collector {

  /** node_exporter 1.5's default: partitions, RAM disks, loop and floppy devices. */
  public static final String DEFAULT_DEVICE_EXCLUDE = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";

  private static final double SECTOR_BYTES = 512;
  private static final double SECONDS_PER_TICK = 1e-3;
  /** The kernel prints at least major, minor, name and 11 statistics; shorter lines are skipped. */
  private static final int MIN_FIELDS = 14;
  private static final String[] DEVICE = {"device"};

  /** One column of /proc/diskstats after the device name, in kernel order. */
  private record Stat(String name, String help, boolean counter, double factor) {}

  private static final Stat[] STATS = {
      new Stat("node_disk_reads_completed_total", "The total number of reads completed successfully.", true, 1),
      new Stat("node_disk_reads_merged_total", "The total number of reads merged.", true, 1),
      new Stat("node_disk_read_bytes_total", "The total number of bytes read successfully.", true, SECTOR_BYTES),
      new Stat("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", true, SECONDS_PER_TICK),
      new Stat("node_disk_writes_completed_total", "The total number of writes completed successfully.", true, 1),
      new Stat("node_disk_writes_merged_total", "The number of writes merged.", true, 1),
      new Stat("node_disk_written_bytes_total", "The total number of bytes written successfully.", true, SECTOR_BYTES),
      new Stat("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", true, SECONDS_PER_TICK),
      new Stat("node_disk_io_now", "The number of I/Os currently in progress.", false, 1),
      new Stat("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", true, SECONDS_PER_TICK),
      new Stat("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", true, SECONDS_PER_TICK),
      new Stat("node_disk_discards_completed_total", "The total number of discards completed successfully.", true, 1),
      new Stat("node_disk_discards_merged_total", "The total number of discards merged.", true, 1),
      new Stat("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", true, 1),
      new Stat("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", true, SECONDS_PER_TICK),
      // node_exporter's help text has no final period here.
      new Stat("node_disk_flush_requests_total", "The total number of flush requests completed successfully", true, 1),
      new Stat("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", true, SECONDS_PER_TICK),
  };

  /** udev properties exported as {@code node_disk_ata_*} gauges on ATA disks. */
  private static final String[][] ATA = {
      {"ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."},
      {"ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."},
      {"ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."},
  };

  private final Path file;
  private final Path udevData;
  private final DeviceFilter filter;

  public DiskstatsCollector(CollectorContext context) {
    this(context.paths(), DeviceFilter.fromOptions(context, "diskstats", DEFAULT_DEVICE_EXCLUDE));
  }

  DiskstatsCollector(HostPaths paths, DeviceFilter filter) {
    this.file = paths.proc("diskstats");
    this.udevData = paths.root("run/udev/data");
    this.filter = filter;
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String content = ProcFiles.read(file);
    boolean haveUdev = Files.isDirectory(udevData);

    Family info = Family.gauge("node_disk_info", "Info of /sys/block/<block_device>.",
        "device", "major", "minor", "path", "wwn", "model", "serial", "revision");
    Family[] stats = new Family[STATS.length];
    for (int i = 0; i < STATS.length; i++) {
      Stat s = STATS[i];
      stats[i] = s.counter() ? Family.counter(s.name(), s.help(), DEVICE) : Family.gauge(s.name(), s.help(), DEVICE);
    }
    Family filesystemInfo = Family.gauge("node_disk_filesystem_info", "Info about disk filesystem.",
        "device", "type", "usage", "uuid", "version");
    Family deviceMapperInfo = Family.gauge("node_disk_device_mapper_info", "Info about disk device mapper.",
        "device", "name", "uuid", "vg_name", "lv_name", "lv_layer");
    Family[] ata = new Family[ATA.length];
    for (int i = 0; i < ATA.length; i++) {
      ata[i] = Family.gauge(ATA[i][1], ATA[i][2], DEVICE);
    }

    for (String line : content.split("\n")) {
      String[] f = ProcFiles.fields(line);
      if (f.length < MIN_FIELDS) {
        continue;
      }
      String device = f[2];
      if (filter.ignored(device)) {
        continue;
      }
      double[] values = new double[Math.min(f.length - 3, STATS.length)];
      String major;
      String minor;
      try {
        major = Long.toString(Long.parseLong(f[0]));
        minor = Long.toString(Long.parseLong(f[1]));
        for (int i = 0; i < values.length; i++) {
          values[i] = ProcFiles.unsigned(f[i + 3]);
        }
      } catch (NumberFormatException e) {
        throw new IOException("malformed line in " + file + ": \"" + line + "\"", e);
      }

      Map<String, String> udev = haveUdev ? udevProperties(major, minor) : Map.of();
      // SCSI_IDENT_SERIAL is the serial printed on the label; ID_SERIAL_SHORT is the fallback.
      String serial = udev.getOrDefault("SCSI_IDENT_SERIAL", "");
      if (serial.isEmpty()) {
        serial = udev.getOrDefault("ID_SERIAL_SHORT", "");
      }
      info.add(1, device, major, minor, udev.getOrDefault("ID_PATH", ""), udev.getOrDefault("ID_WWN", ""),
          udev.getOrDefault("ID_MODEL", ""), serial, udev.getOrDefault("ID_REVISION", ""));
      for (int i = 0; i < values.length; i++) {
        stats[i].add(values[i] * STATS[i].factor(), device);
      }
      addUdevSeries(udev, device, filesystemInfo, deviceMapperInfo, ata);
    }

    info.addTo(out);
    for (Family s : stats) {
      s.addTo(out);
    }
    filesystemInfo.addTo(out);
    deviceMapperInfo.addTo(out);
    for (Family a : ata) {
      a.addTo(out);
    }
  }

  private static void addUdevSeries(Map<String, String> udev, String device, Family filesystemInfo,
      Family deviceMapperInfo, Family[] ata) {
    if (udev.isEmpty()) {
      return;
    }
    String fsType = udev.getOrDefault("ID_FS_TYPE", "");
    if (!fsType.isEmpty()) {
      filesystemInfo.add(1, device, fsType, udev.getOrDefault("ID_FS_USAGE", ""),
          udev.getOrDefault("ID_FS_UUID", ""), udev.getOrDefault("ID_FS_VERSION", ""));
    }
    String dmName = udev.getOrDefault("DM_NAME", "");
    if (!dmName.isEmpty()) {
      deviceMapperInfo.add(1, device, dmName, udev.getOrDefault("DM_UUID", ""),
          udev.getOrDefault("DM_VG_NAME", ""), udev.getOrDefault("DM_LV_NAME", ""),
          udev.getOrDefault("DM_LV_LAYER", ""));
    }
    if (udev.getOrDefault("ID_ATA", "").isEmpty()) {
      return;
    }
    for (int i = 0; i < ATA.length; i++) {
      String v = udev.get(ATA[i][0]);
      if (v == null) {
        continue;
      }
      try {
        ata[i].add(Double.parseDouble(v), device);
      } catch (NumberFormatException e) {
        // node_exporter skips values that are not numbers; so do we.
      }
    }
  }

  /** The {@code E:} properties of a block device in udev's database; empty when it has no entry. */
  private Map<String, String> udevProperties(String major, String minor) {
    String content;
    try {
      content = ProcFiles.read(udevData.resolve("b" + major + ":" + minor));
    } catch (IOException e) {
      // Like node_exporter: a device udev does not know (or we may not read) just has no udev labels.
      return Map.of();
    }
    Map<String, String> props = new HashMap<>();
    for (String line : content.split("\n")) {
      if (!line.startsWith("E:")) {
        continue;
      }
      int eq = line.indexOf('=', 2);
      if (eq > 0) {
        props.put(line.substring(2, eq), line.substring(eq + 1));
      }
    }
    return props;
  }
}
