package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskstatsCollectorTest {

  @TempDir Path dir;

  /** Columns as a 6.x kernel prints them: 17 statistics after the name; sda from a 4.x kernel has 11. */
  private static final String DISKSTATS = """
         7       0 loop0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
       254       0 vda 85347 26255 3214314 139789 49837 23017 3348536 46239 3 18244 188203 12709 34 649872 1782 10208 391
       254       1 vda1 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27
       253       0 dm-0 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117
         8       0 sda 201 202 203 204 205 206 207 208 209 210 211
       253       1 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
      """;

  private static DiskstatsCollector collector(FixtureTree tree, Map<String, String> options) {
    return new DiskstatsCollector(new CollectorContext(tree.paths(), Clock.systemUTC(), p -> null, options));
  }

  @Test
  void exportsEveryStatisticAndUdevSeries() {
    var tree = new FixtureTree(dir).file("proc/diskstats", DISKSTATS)
        .file("root/run/udev/data/b254:0", """
            S:disk/by-path/pci-0000:00:05.0
            E:ID_PATH=pci-0000:00:05.0
            E:ID_SERIAL_SHORT=vda-serial
            E:ID_PART_TABLE_TYPE=gpt
            """)
        .file("root/run/udev/data/b253:0", """
            E:DM_NAME=vg0-root
            E:DM_UUID=LVM-abc
            E:DM_VG_NAME=vg0
            E:DM_LV_NAME=root
            E:ID_FS_TYPE=ext4
            E:ID_FS_USAGE=filesystem
            E:ID_FS_UUID=1111-2222
            E:ID_FS_VERSION=1.0
            """)
        .file("root/run/udev/data/b8:0", """
            E:ID_ATA=1
            E:ID_ATA_WRITE_CACHE=1
            E:ID_ATA_WRITE_CACHE_ENABLED=0
            E:ID_ATA_ROTATION_RATE_RPM=7200
            E:ID_MODEL=ST8000AS0002
            E:ID_REVISION=AR17
            E:ID_WWN=0x5000c500a0b1c2d3
            E:ID_SERIAL_SHORT=short-ignored
            E:SCSI_IDENT_SERIAL=Z840YC3T
            """);
    assertEquals("""
        # HELP node_disk_ata_rotation_rate_rpm ATA disk rotation rate in RPMs (0 for SSDs).
        # TYPE node_disk_ata_rotation_rate_rpm gauge
        node_disk_ata_rotation_rate_rpm{device="sda"} 7200.0
        # HELP node_disk_ata_write_cache ATA disk has a write cache.
        # TYPE node_disk_ata_write_cache gauge
        node_disk_ata_write_cache{device="sda"} 1.0
        # HELP node_disk_ata_write_cache_enabled ATA disk has its write cache enabled.
        # TYPE node_disk_ata_write_cache_enabled gauge
        node_disk_ata_write_cache_enabled{device="sda"} 0.0
        # HELP node_disk_device_mapper_info Info about disk device mapper.
        # TYPE node_disk_device_mapper_info gauge
        node_disk_device_mapper_info{device="dm-0",lv_layer="",lv_name="root",name="vg0-root",uuid="LVM-abc",vg_name="vg0"} 1.0
        # HELP node_disk_discard_time_seconds_total This is the total number of seconds spent by all discards.
        # TYPE node_disk_discard_time_seconds_total counter
        node_disk_discard_time_seconds_total{device="dm-0"} 0.115
        node_disk_discard_time_seconds_total{device="vda"} 1.782
        node_disk_discard_time_seconds_total{device="zram0"} 0.0
        # HELP node_disk_discarded_sectors_total The total number of sectors discarded successfully.
        # TYPE node_disk_discarded_sectors_total counter
        node_disk_discarded_sectors_total{device="dm-0"} 114.0
        node_disk_discarded_sectors_total{device="vda"} 649872.0
        node_disk_discarded_sectors_total{device="zram0"} 0.0
        # HELP node_disk_discards_completed_total The total number of discards completed successfully.
        # TYPE node_disk_discards_completed_total counter
        node_disk_discards_completed_total{device="dm-0"} 112.0
        node_disk_discards_completed_total{device="vda"} 12709.0
        node_disk_discards_completed_total{device="zram0"} 0.0
        # HELP node_disk_discards_merged_total The total number of discards merged.
        # TYPE node_disk_discards_merged_total counter
        node_disk_discards_merged_total{device="dm-0"} 113.0
        node_disk_discards_merged_total{device="vda"} 34.0
        node_disk_discards_merged_total{device="zram0"} 0.0
        # HELP node_disk_filesystem_info Info about disk filesystem.
        # TYPE node_disk_filesystem_info gauge
        node_disk_filesystem_info{device="dm-0",type="ext4",usage="filesystem",uuid="1111-2222",version="1.0"} 1.0
        # HELP node_disk_flush_requests_total The total number of flush requests completed successfully
        # TYPE node_disk_flush_requests_total counter
        node_disk_flush_requests_total{device="dm-0"} 116.0
        node_disk_flush_requests_total{device="vda"} 10208.0
        node_disk_flush_requests_total{device="zram0"} 0.0
        # HELP node_disk_flush_requests_time_seconds_total This is the total number of seconds spent by all flush requests.
        # TYPE node_disk_flush_requests_time_seconds_total counter
        node_disk_flush_requests_time_seconds_total{device="dm-0"} 0.117
        node_disk_flush_requests_time_seconds_total{device="vda"} 0.391
        node_disk_flush_requests_time_seconds_total{device="zram0"} 0.0
        # HELP node_disk_info Info of /sys/block/<block_device>.
        # TYPE node_disk_info gauge
        node_disk_info{device="dm-0",major="253",minor="0",model="",path="",revision="",serial="",wwn=""} 1.0
        node_disk_info{device="sda",major="8",minor="0",model="ST8000AS0002",path="",revision="AR17",serial="Z840YC3T",wwn="0x5000c500a0b1c2d3"} 1.0
        node_disk_info{device="vda",major="254",minor="0",model="",path="pci-0000:00:05.0",revision="",serial="vda-serial",wwn=""} 1.0
        node_disk_info{device="zram0",major="253",minor="1",model="",path="",revision="",serial="",wwn=""} 1.0
        # HELP node_disk_io_now The number of I/Os currently in progress.
        # TYPE node_disk_io_now gauge
        node_disk_io_now{device="dm-0"} 109.0
        node_disk_io_now{device="sda"} 209.0
        node_disk_io_now{device="vda"} 3.0
        node_disk_io_now{device="zram0"} 0.0
        # HELP node_disk_io_time_seconds_total Total seconds spent doing I/Os.
        # TYPE node_disk_io_time_seconds_total counter
        node_disk_io_time_seconds_total{device="dm-0"} 0.11
        node_disk_io_time_seconds_total{device="sda"} 0.21
        node_disk_io_time_seconds_total{device="vda"} 18.244
        node_disk_io_time_seconds_total{device="zram0"} 0.0
        # HELP node_disk_io_time_weighted_seconds_total The weighted # of seconds spent doing I/Os.
        # TYPE node_disk_io_time_weighted_seconds_total counter
        node_disk_io_time_weighted_seconds_total{device="dm-0"} 0.111
        node_disk_io_time_weighted_seconds_total{device="sda"} 0.211
        node_disk_io_time_weighted_seconds_total{device="vda"} 188.203
        node_disk_io_time_weighted_seconds_total{device="zram0"} 0.0
        # HELP node_disk_read_bytes_total The total number of bytes read successfully.
        # TYPE node_disk_read_bytes_total counter
        node_disk_read_bytes_total{device="dm-0"} 52736.0
        node_disk_read_bytes_total{device="sda"} 103936.0
        node_disk_read_bytes_total{device="vda"} 1.645728768E9
        node_disk_read_bytes_total{device="zram0"} 0.0
        # HELP node_disk_read_time_seconds_total The total number of seconds spent by all reads.
        # TYPE node_disk_read_time_seconds_total counter
        node_disk_read_time_seconds_total{device="dm-0"} 0.10400000000000001
        node_disk_read_time_seconds_total{device="sda"} 0.20400000000000001
        node_disk_read_time_seconds_total{device="vda"} 139.78900000000002
        node_disk_read_time_seconds_total{device="zram0"} 0.0
        # HELP node_disk_reads_completed_total The total number of reads completed successfully.
        # TYPE node_disk_reads_completed_total counter
        node_disk_reads_completed_total{device="dm-0"} 101.0
        node_disk_reads_completed_total{device="sda"} 201.0
        node_disk_reads_completed_total{device="vda"} 85347.0
        node_disk_reads_completed_total{device="zram0"} 0.0
        # HELP node_disk_reads_merged_total The total number of reads merged.
        # TYPE node_disk_reads_merged_total counter
        node_disk_reads_merged_total{device="dm-0"} 102.0
        node_disk_reads_merged_total{device="sda"} 202.0
        node_disk_reads_merged_total{device="vda"} 26255.0
        node_disk_reads_merged_total{device="zram0"} 0.0
        # HELP node_disk_write_time_seconds_total This is the total number of seconds spent by all writes.
        # TYPE node_disk_write_time_seconds_total counter
        node_disk_write_time_seconds_total{device="dm-0"} 0.108
        node_disk_write_time_seconds_total{device="sda"} 0.20800000000000002
        node_disk_write_time_seconds_total{device="vda"} 46.239000000000004
        node_disk_write_time_seconds_total{device="zram0"} 0.0
        # HELP node_disk_writes_completed_total The total number of writes completed successfully.
        # TYPE node_disk_writes_completed_total counter
        node_disk_writes_completed_total{device="dm-0"} 105.0
        node_disk_writes_completed_total{device="sda"} 205.0
        node_disk_writes_completed_total{device="vda"} 49837.0
        node_disk_writes_completed_total{device="zram0"} 0.0
        # HELP node_disk_writes_merged_total The number of writes merged.
        # TYPE node_disk_writes_merged_total counter
        node_disk_writes_merged_total{device="dm-0"} 106.0
        node_disk_writes_merged_total{device="sda"} 206.0
        node_disk_writes_merged_total{device="vda"} 23017.0
        node_disk_writes_merged_total{device="zram0"} 0.0
        # HELP node_disk_written_bytes_total The total number of bytes written successfully.
        # TYPE node_disk_written_bytes_total counter
        node_disk_written_bytes_total{device="dm-0"} 54784.0
        node_disk_written_bytes_total{device="sda"} 105984.0
        node_disk_written_bytes_total{device="vda"} 1.714450432E9
        node_disk_written_bytes_total{device="zram0"} 0.0
        """, Exposition.text(collector(tree, Map.of())));
  }

  @Test
  void withoutUdevDatabaseInfoLabelsAreEmpty() {
    var tree = new FixtureTree(dir).file("proc/diskstats", DISKSTATS);
    String text = Exposition.text(collector(tree, Map.of()));
    assertTrue(text.contains("node_disk_info{device=\"vda\",major=\"254\",minor=\"0\",model=\"\",path=\"\","
        + "revision=\"\",serial=\"\",wwn=\"\"} 1.0"), text);
    assertFalse(text.contains("node_disk_filesystem_info"), text);
    assertFalse(text.contains("node_disk_ata_"), text);
  }

  @Test
  void includeOptionReplacesTheDefaultExclude() {
    var tree = new FixtureTree(dir).file("proc/diskstats", DISKSTATS);
    String text = Exposition.text(collector(tree, Map.of("collector.diskstats.device-include", "^vda")));
    assertTrue(text.contains("node_disk_reads_completed_total{device=\"vda1\"} 11.0"), text);
    assertFalse(text.contains("device=\"sda\""), text);
    assertFalse(text.contains("device=\"loop0\""), text);
  }

  @Test
  void includeAndExcludeTogetherAreRejected() {
    var tree = new FixtureTree(dir);
    assertThrows(IllegalArgumentException.class, () -> collector(tree, Map.of(
        "collector.diskstats.device-include", "^vda", "collector.diskstats.device-exclude", "^loop")));
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(IOException.class, () -> collector(tree, Map.of()).collect(new ArrayList<>()));
  }

  @Test
  void garbledNumberIsAnErrorAsInNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/diskstats",
        " 254 0 vda 1 2 3 4 5 6 7 8 9 10 x\n");
    assertThrows(IOException.class, () -> collector(tree, Map.of()).collect(new ArrayList<>()));
  }

  @Test
  void shortLinesAreSkippedAsInNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/diskstats", " 254 0 vda 1 2 3\n 8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n");
    String text = Exposition.text(collector(tree, Map.of()));
    assertFalse(text.contains("\"vda\""), text);
    assertTrue(text.contains("node_disk_reads_completed_total{device=\"sda\"} 1.0"), text);
  }
}
