package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmstatCollectorTest {

  private static final String VMSTAT = """
      nr_free_pages 5813947
      nr_zone_inactive_anon 11
      pgpgin 1191541
      pgpgout 1610304
      pswpin 3
      pswpout 4
      pgalloc_normal 9871234
      pgfault 3519048
      pgmajfault 1125
      pgsteal_kswapd 77
      oom_kill 2
      """;

  @TempDir Path dir;

  @Test
  void defaultFieldsMatchNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/vmstat", VMSTAT);
    assertEquals("""
        # HELP node_vmstat_oom_kill /proc/vmstat information field oom_kill.
        # TYPE node_vmstat_oom_kill untyped
        node_vmstat_oom_kill 2.0
        # HELP node_vmstat_pgfault /proc/vmstat information field pgfault.
        # TYPE node_vmstat_pgfault untyped
        node_vmstat_pgfault 3519048.0
        # HELP node_vmstat_pgmajfault /proc/vmstat information field pgmajfault.
        # TYPE node_vmstat_pgmajfault untyped
        node_vmstat_pgmajfault 1125.0
        # HELP node_vmstat_pgpgin /proc/vmstat information field pgpgin.
        # TYPE node_vmstat_pgpgin untyped
        node_vmstat_pgpgin 1191541.0
        # HELP node_vmstat_pgpgout /proc/vmstat information field pgpgout.
        # TYPE node_vmstat_pgpgout untyped
        node_vmstat_pgpgout 1610304.0
        # HELP node_vmstat_pswpin /proc/vmstat information field pswpin.
        # TYPE node_vmstat_pswpin untyped
        node_vmstat_pswpin 3.0
        # HELP node_vmstat_pswpout /proc/vmstat information field pswpout.
        # TYPE node_vmstat_pswpout untyped
        node_vmstat_pswpout 4.0
        """, Exposition.text(new VmstatCollector(tree.paths(), VmstatCollector.DEFAULT_FIELDS)));
  }

  @Test
  void fieldsOptionIsAnUnanchoredRegex() {
    var tree = new FixtureTree(dir).file("proc/vmstat", VMSTAT);
    assertEquals("""
        # HELP node_vmstat_nr_free_pages /proc/vmstat information field nr_free_pages.
        # TYPE node_vmstat_nr_free_pages untyped
        node_vmstat_nr_free_pages 5813947.0
        # HELP node_vmstat_pgsteal_kswapd /proc/vmstat information field pgsteal_kswapd.
        # TYPE node_vmstat_pgsteal_kswapd untyped
        node_vmstat_pgsteal_kswapd 77.0
        """, Exposition.text(new VmstatCollector(tree.paths(), "free_pages|steal")));
  }

  @Test
  void garbledValueIsAnErrorEvenOnAFilteredLine() {
    var tree = new FixtureTree(dir).file("proc/vmstat", "nr_free_pages lots\npgfault 1\n");
    assertThrows(Exception.class, () -> new VmstatCollector(tree.paths(), VmstatCollector.DEFAULT_FIELDS)
        .collect(new ArrayList<>()));
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(Exception.class, () -> new VmstatCollector(tree.paths(), VmstatCollector.DEFAULT_FIELDS)
        .collect(new ArrayList<>()));
  }
}
