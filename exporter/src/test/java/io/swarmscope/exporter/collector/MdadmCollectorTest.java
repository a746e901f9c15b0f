package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MdadmCollectorTest {

  /**
   * node_exporter's mdstat fixture shapes: raid0/1/6/linear, inactive and external-metadata arrays,
   * a bitmap line, recovery and resync in progress, resync DELAYED and PENDING, failed and spare
   * disks. The expected values were checked against node_exporter 1.5.0 run on this file.
   */
  static final String MDSTAT = """
        Personalities : [linear] [multipath] [raid0] [raid1] [raid6] [raid5] [raid4] [raid10]
        md3 : active raid6 sda1[8] sdh1[7] sdg1[6] sdf1[5] sde1[11] sdd1[3] sdc1[10] sdb1[9]
              5853468288 blocks super 1.2 level 6, 64k chunk, algorithm 2 [8/8] [UUUUUUUU]

        md127 : active raid1 sdi2[0] sdj2[1]
              312319552 blocks [2/2] [UU]

        md0 : active raid1 sdi1[0] sdj1[1]
              248896 blocks [2/2] [UU]

        md4 : inactive raid1 sda3[0](F) sdb3[1](S)
              4883648 blocks [2/2] [UU]

        md6 : active raid1 sdb2[2](F) sdc[1](S) sda2[0]
              195310144 blocks [2/1] [U_]
              [=>...................]  recovery =  8.5% (16775552/195310144) finish=17.0min speed=259783K/sec

        md8 : active raid1 sdb1[1] sda1[0] sdc[2](S) sde[3](S)
              195310144 blocks [2/2] [UU]
              [=>...................]  resync =  8.5% (16775552/195310144) finish=17.0min speed=259783K/sec

        md7 : active raid6 sdb1[0] sde1[3] sdd1[2] sdc1[1](F)
              7813735424 blocks super 1.2 level 6, 512k chunk, algorithm 2 [4/3] [U_UU]
              bitmap: 0/30 pages [0KB], 65536KB chunk

        md9 : active raid1 sdc2[2] sdd2[3] sdb2[1] sda2[0] sde[4](F) sdf[5](F) sdg[6](S)
              523968 blocks super 1.2 [4/4] [UUUU]
              resync=DELAYED

        md10 : active raid0 sda1[0] sdb1[1]
              314159265 blocks 64k chunks

        md11 : active (auto-read-only) raid1 sdb2[0] sdc2[1] sdc3[2](F) hda[4](S) ssdc2[3](S)
              4190208 blocks super 1.2 [2/2] [UU]
              resync=PENDING

        md12 : active raid0 sdc2[0] sdd2[1]
              3886394368 blocks super 1.2 512k chunks

        md126 : active raid0 sdb[1] sdc[0]
              1855870976 blocks super external:/md127/0 128k chunks

        md219 : inactive sdb[2](S) sdc[1](S) sda[0](S)
              7932 blocks super external:imsm

        md00 : active raid0 xvdb[0]
              4186624 blocks super 1.2 256k chunks

        md120 : active linear sda1[1] sdb1[0]
              2095104 blocks super 1.2 0k rounding

        md101 : active (read-only) raid0 sdb[2] sdd[1] sdc[0]
              322560 blocks super 1.2 512k chunks

        unused devices: <none>
        """;

  @TempDir Path dir;

  @Test
  void exportsStateDisksAndBlocksPerArray() {
    var tree = new FixtureTree(dir).file("proc/mdstat", MDSTAT);
    assertEquals(GOLDEN, Exposition.text(new MdadmCollector(tree.paths())));
  }

  @Test
  void hostWithoutMdIsNoData() {
    assertThrows(NoDataException.class,
        () -> new MdadmCollector(new FixtureTree(dir).paths()).collect(new ArrayList<>()));
  }

  @Test
  void garbledStatusLineIsAnError() {
    var tree = new FixtureTree(dir).file("proc/mdstat", """
        Personalities : [raid1]
        md0 : active raid1 sdi1[0] sdj1[1]
              248896 blocks [2/2 [UU]

        unused devices: <none>
        """);
    var e = assertThrows(IOException.class,
        () -> new MdadmCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException);
  }

  static final String GOLDEN = """
      # HELP node_md_blocks Total number of blocks on device.
      # TYPE node_md_blocks gauge
      node_md_blocks{device="md0"} 248896.0
      node_md_blocks{device="md00"} 4186624.0
      node_md_blocks{device="md10"} 3.14159265E8
      node_md_blocks{device="md101"} 322560.0
      node_md_blocks{device="md11"} 4190208.0
      node_md_blocks{device="md12"} 3.886394368E9
      node_md_blocks{device="md120"} 2095104.0
      node_md_blocks{device="md126"} 1.855870976E9
      node_md_blocks{device="md127"} 3.12319552E8
      node_md_blocks{device="md219"} 7932.0
      node_md_blocks{device="md3"} 5.853468288E9
      node_md_blocks{device="md4"} 4883648.0
      node_md_blocks{device="md6"} 1.95310144E8
      node_md_blocks{device="md7"} 7.813735424E9
      node_md_blocks{device="md8"} 1.95310144E8
      node_md_blocks{device="md9"} 523968.0
      # HELP node_md_blocks_synced Number of blocks synced on device.
      # TYPE node_md_blocks_synced gauge
      node_md_blocks_synced{device="md0"} 248896.0
      node_md_blocks_synced{device="md00"} 4186624.0
      node_md_blocks_synced{device="md10"} 3.14159265E8
      node_md_blocks_synced{device="md101"} 322560.0
      node_md_blocks_synced{device="md11"} 0.0
      node_md_blocks_synced{device="md12"} 3.886394368E9
      node_md_blocks_synced{device="md120"} 2095104.0
      node_md_blocks_synced{device="md126"} 1.855870976E9
      node_md_blocks_synced{device="md127"} 3.12319552E8
      node_md_blocks_synced{device="md219"} 7932.0
      node_md_blocks_synced{device="md3"} 5.853468288E9
      node_md_blocks_synced{device="md4"} 4883648.0
      node_md_blocks_synced{device="md6"} 1.6775552E7
      node_md_blocks_synced{device="md7"} 7.813735424E9
      node_md_blocks_synced{device="md8"} 1.6775552E7
      node_md_blocks_synced{device="md9"} 0.0
      # HELP node_md_disks Number of active/failed/spare disks of device.
      # TYPE node_md_disks gauge
      node_md_disks{device="md0",state="active"} 2.0
      node_md_disks{device="md0",state="failed"} 0.0
      node_md_disks{device="md0",state="spare"} 0.0
      node_md_disks{device="md00",state="active"} 1.0
      node_md_disks{device="md00",state="failed"} 0.0
      node_md_disks{device="md00",state="spare"} 0.0
      node_md_disks{device="md10",state="active"} 2.0
      node_md_disks{device="md10",state="failed"} 0.0
      node_md_disks{device="md10",state="spare"} 0.0
      node_md_disks{device="md101",state="active"} 3.0
      node_md_disks{device="md101",state="failed"} 0.0
      node_md_disks{device="md101",state="spare"} 0.0
      node_md_disks{device="md11",state="active"} 2.0
      node_md_disks{device="md11",state="failed"} 1.0
      node_md_disks{device="md11",state="spare"} 2.0
      node_md_disks{device="md12",state="active"} 2.0
      node_md_disks{device="md12",state="failed"} 0.0
      node_md_disks{device="md12",state="spare"} 0.0
      node_md_disks{device="md120",state="active"} 2.0
      node_md_disks{device="md120",state="failed"} 0.0
      node_md_disks{device="md120",state="spare"} 0.0
      node_md_disks{device="md126",state="active"} 2.0
      node_md_disks{device="md126",state="failed"} 0.0
      node_md_disks{device="md126",state="spare"} 0.0
      node_md_disks{device="md127",state="active"} 2.0
      node_md_disks{device="md127",state="failed"} 0.0
      node_md_disks{device="md127",state="spare"} 0.0
      node_md_disks{device="md219",state="active"} 0.0
      node_md_disks{device="md219",state="failed"} 0.0
      node_md_disks{device="md219",state="spare"} 3.0
      node_md_disks{device="md3",state="active"} 8.0
      node_md_disks{device="md3",state="failed"} 0.0
      node_md_disks{device="md3",state="spare"} 0.0
      node_md_disks{device="md4",state="active"} 0.0
      node_md_disks{device="md4",state="failed"} 1.0
      node_md_disks{device="md4",state="spare"} 1.0
      node_md_disks{device="md6",state="active"} 1.0
      node_md_disks{device="md6",state="failed"} 1.0
      node_md_disks{device="md6",state="spare"} 1.0
      node_md_disks{device="md7",state="active"} 3.0
      node_md_disks{device="md7",state="failed"} 1.0
      node_md_disks{device="md7",state="spare"} 0.0
      node_md_disks{device="md8",state="active"} 2.0
      node_md_disks{device="md8",state="failed"} 0.0
      node_md_disks{device="md8",state="spare"} 2.0
      node_md_disks{device="md9",state="active"} 4.0
      node_md_disks{device="md9",state="failed"} 2.0
      node_md_disks{device="md9",state="spare"} 1.0
      # HELP node_md_disks_required Total number of disks of device.
      # TYPE node_md_disks_required gauge
      node_md_disks_required{device="md0"} 2.0
      node_md_disks_required{device="md00"} 1.0
      node_md_disks_required{device="md10"} 2.0
      node_md_disks_required{device="md101"} 3.0
      node_md_disks_required{device="md11"} 2.0
      node_md_disks_required{device="md12"} 2.0
      node_md_disks_required{device="md120"} 2.0
      node_md_disks_required{device="md126"} 2.0
      node_md_disks_required{device="md127"} 2.0
      node_md_disks_required{device="md219"} 0.0
      node_md_disks_required{device="md3"} 8.0
      node_md_disks_required{device="md4"} 0.0
      node_md_disks_required{device="md6"} 2.0
      node_md_disks_required{device="md7"} 4.0
      node_md_disks_required{device="md8"} 2.0
      node_md_disks_required{device="md9"} 4.0
      # HELP node_md_state Indicates the state of md-device.
      # TYPE node_md_state gauge
      node_md_state{device="md0",state="active"} 1.0
      node_md_state{device="md0",state="check"} 0.0
      node_md_state{device="md0",state="inactive"} 0.0
      node_md_state{device="md0",state="recovering"} 0.0
      node_md_state{device="md0",state="resync"} 0.0
      node_md_state{device="md00",state="active"} 1.0
      node_md_state{device="md00",state="check"} 0.0
      node_md_state{device="md00",state="inactive"} 0.0
      node_md_state{device="md00",state="recovering"} 0.0
      node_md_state{device="md00",state="resync"} 0.0
      node_md_state{device="md10",state="active"} 1.0
      node_md_state{device="md10",state="check"} 0.0
      node_md_state{device="md10",state="inactive"} 0.0
      node_md_state{device="md10",state="recovering"} 0.0
      node_md_state{device="md10",state="resync"} 0.0
      node_md_state{device="md101",state="active"} 1.0
      node_md_state{device="md101",state="check"} 0.0
      node_md_state{device="md101",state="inactive"} 0.0
      node_md_state{device="md101",state="recovering"} 0.0
      node_md_state{device="md101",state="resync"} 0.0
      node_md_state{device="md11",state="active"} 0.0
      node_md_state{device="md11",state="check"} 0.0
      node_md_state{device="md11",state="inactive"} 0.0
      node_md_state{device="md11",state="recovering"} 0.0
      node_md_state{device="md11",state="resync"} 1.0
      node_md_state{device="md12",state="active"} 1.0
      node_md_state{device="md12",state="check"} 0.0
      node_md_state{device="md12",state="inactive"} 0.0
      node_md_state{device="md12",state="recovering"} 0.0
      node_md_state{device="md12",state="resync"} 0.0
      node_md_state{device="md120",state="active"} 1.0
      node_md_state{device="md120",state="check"} 0.0
      node_md_state{device="md120",state="inactive"} 0.0
      node_md_state{device="md120",state="recovering"} 0.0
      node_md_state{device="md120",state="resync"} 0.0
      node_md_state{device="md126",state="active"} 1.0
      node_md_state{device="md126",state="check"} 0.0
      node_md_state{device="md126",state="inactive"} 0.0
      node_md_state{device="md126",state="recovering"} 0.0
      node_md_state{device="md126",state="resync"} 0.0
      node_md_state{device="md127",state="active"} 1.0
      node_md_state{device="md127",state="check"} 0.0
      node_md_state{device="md127",state="inactive"} 0.0
      node_md_state{device="md127",state="recovering"} 0.0
      node_md_state{device="md127",state="resync"} 0.0
      node_md_state{device="md219",state="active"} 0.0
      node_md_state{device="md219",state="check"} 0.0
      node_md_state{device="md219",state="inactive"} 1.0
      node_md_state{device="md219",state="recovering"} 0.0
      node_md_state{device="md219",state="resync"} 0.0
      node_md_state{device="md3",state="active"} 1.0
      node_md_state{device="md3",state="check"} 0.0
      node_md_state{device="md3",state="inactive"} 0.0
      node_md_state{device="md3",state="recovering"} 0.0
      node_md_state{device="md3",state="resync"} 0.0
      node_md_state{device="md4",state="active"} 0.0
      node_md_state{device="md4",state="check"} 0.0
      node_md_state{device="md4",state="inactive"} 1.0
      node_md_state{device="md4",state="recovering"} 0.0
      node_md_state{device="md4",state="resync"} 0.0
      node_md_state{device="md6",state="active"} 0.0
      node_md_state{device="md6",state="check"} 0.0
      node_md_state{device="md6",state="inactive"} 0.0
      node_md_state{device="md6",state="recovering"} 1.0
      node_md_state{device="md6",state="resync"} 0.0
      node_md_state{device="md7",state="active"} 1.0
      node_md_state{device="md7",state="check"} 0.0
      node_md_state{device="md7",state="inactive"} 0.0
      node_md_state{device="md7",state="recovering"} 0.0
      node_md_state{device="md7",state="resync"} 0.0
      node_md_state{device="md8",state="active"} 0.0
      node_md_state{device="md8",state="check"} 0.0
      node_md_state{device="md8",state="inactive"} 0.0
      node_md_state{device="md8",state="recovering"} 0.0
      node_md_state{device="md8",state="resync"} 1.0
      node_md_state{device="md9",state="active"} 0.0
      node_md_state{device="md9",state="check"} 0.0
      node_md_state{device="md9",state="inactive"} 0.0
      node_md_state{device="md9",state="recovering"} 0.0
      node_md_state{device="md9",state="resync"} 1.0
      """;
}
