package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConntrackCollectorTest {

  /** Two CPUs; every column differs so a wrong position shows in the sums. */
  private static final String STAT = """
      entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
      00000061  00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008 00000009 0000000a 0000000b 0000000c  0000000d 0000000e 0000000f 00000010
      00000061  00000100 00000200 00000300 00000400 00000500 00000600 00000700 00000800 00000900 00000a00 00000b00 00000c00  00000d00 00000e00 00000f00 00001000
      """;

  @TempDir Path dir;

  private FixtureTree tree() {
    return new FixtureTree(dir)
        .file("proc/sys/net/netfilter/nf_conntrack_count", "97\n")
        .file("proc/sys/net/netfilter/nf_conntrack_max", "262144\n")
        .file("proc/net/stat/nf_conntrack", STAT);
  }

  @Test
  void countsTheHostsTableNotTheContainers() {
    // In a container the sysctl and <procfs>/net are the container's namespace: 3 entries, its
    // own stats. PID 1's stat file is the host's: 0x61 = 97 entries.
    var tree = new FixtureTree(dir)
        .file("proc/sys/net/netfilter/nf_conntrack_count", "3\n")
        .file("proc/sys/net/netfilter/nf_conntrack_max", "262144\n")
        .file("proc/net/stat/nf_conntrack", STAT.replace("00000061", "00000003").replace("0000000b", "00000000"))
        .file("proc/1/net/stat/nf_conntrack", STAT);
    assertEquals(Exposition.text(new ConntrackCollector(tree().paths())),
        Exposition.text(new ConntrackCollector(tree.paths())));
  }

  @Test
  void exportsTableSizeAndStatsSummedOverCpus() {
    assertEquals("""
        # HELP node_nf_conntrack_entries Number of currently allocated flow entries for connection tracking.
        # TYPE node_nf_conntrack_entries gauge
        node_nf_conntrack_entries 97.0
        # HELP node_nf_conntrack_entries_limit Maximum size of connection tracking table.
        # TYPE node_nf_conntrack_entries_limit gauge
        node_nf_conntrack_entries_limit 262144.0
        # HELP node_nf_conntrack_stat_drop Number of packets dropped due to conntrack failure.
        # TYPE node_nf_conntrack_stat_drop gauge
        node_nf_conntrack_stat_drop 2570.0
        # HELP node_nf_conntrack_stat_early_drop Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.
        # TYPE node_nf_conntrack_stat_early_drop gauge
        node_nf_conntrack_stat_early_drop 2827.0
        # HELP node_nf_conntrack_stat_found Number of searched entries which were successful.
        # TYPE node_nf_conntrack_stat_found gauge
        node_nf_conntrack_stat_found 514.0
        # HELP node_nf_conntrack_stat_ignore Number of packets seen which are already connected to a conntrack entry.
        # TYPE node_nf_conntrack_stat_ignore gauge
        node_nf_conntrack_stat_ignore 1285.0
        # HELP node_nf_conntrack_stat_insert Number of entries inserted into the list.
        # TYPE node_nf_conntrack_stat_insert gauge
        node_nf_conntrack_stat_insert 2056.0
        # HELP node_nf_conntrack_stat_insert_failed Number of entries for which list insertion was attempted but failed.
        # TYPE node_nf_conntrack_stat_insert_failed gauge
        node_nf_conntrack_stat_insert_failed 2313.0
        # HELP node_nf_conntrack_stat_invalid Number of packets seen which can not be tracked.
        # TYPE node_nf_conntrack_stat_invalid gauge
        node_nf_conntrack_stat_invalid 1028.0
        # HELP node_nf_conntrack_stat_search_restart Number of conntrack table lookups which had to be restarted due to hashtable resizes.
        # TYPE node_nf_conntrack_stat_search_restart gauge
        node_nf_conntrack_stat_search_restart 4112.0
        """, Exposition.text(new ConntrackCollector(tree().paths())));
  }

  @Test
  void moduleNotLoadedIsNoData() {
    var tree = new FixtureTree(dir).file("proc/net/stat/nf_conntrack", STAT);
    assertThrows(NoDataException.class,
        () -> new ConntrackCollector(tree.paths()).collect(new ArrayList<>()));
  }

  @Test
  void garbledStatLineIsAnErrorAndAddsNothing() {
    var tree = tree().file("proc/net/stat/nf_conntrack",
        "entries found\n00000061 00000001 00000002\n");
    List<MetricSnapshot> out = new ArrayList<>();
    var e = assertThrows(IOException.class, () -> new ConntrackCollector(tree.paths()).collect(out));
    assertFalse(e instanceof NoDataException, e.toString());
    assertTrue(out.isEmpty());
  }

  @Test
  void missingStatFileIsAnErrorNotNoData() {
    var tree = new FixtureTree(dir)
        .file("proc/sys/net/netfilter/nf_conntrack_count", "97\n")
        .file("proc/sys/net/netfilter/nf_conntrack_max", "262144\n");
    var e = assertThrows(IOException.class,
        () -> new ConntrackCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException, e.toString());
  }
}
