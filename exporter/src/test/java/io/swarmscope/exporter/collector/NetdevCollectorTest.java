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

class NetdevCollectorTest {

  @TempDir Path dir;

  private static final String HEADER = """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
      """;

  private static NetdevCollector collector(FixtureTree tree, Map<String, String> options) {
    return new NetdevCollector(new CollectorContext(tree.paths(), Clock.systemUTC(), p -> null, options));
  }

  @Test
  void readsTheHostNamespaceWithNodeExporterNames() {
    var tree = new FixtureTree(dir)
        .file("proc/1/net/dev", HEADER + """
                lo: 1783824    3261    0    0    0     0          0         0  1783825    3262    0    0    0     0       0          0
              eth0: 208883697    6662    1    2    3     4          5         6   603339    5372    7    8    9    10      11         12
            docker_gwbridge:     100       2    0    0    0     0          0         0      580       6    0    1    0     0       0          0
            """)
        // The container's own namespace, which must not be read while the host's is readable.
        .file("proc/net/dev", HEADER + "  eth0: 999 9 9 9 9 9 9 9 999 9 9 9 9 9 9 9\n")
        .file("sys/class/net/eth0/statistics/rx_nohandler", "13\n");
    assertEquals("""
        # HELP node_network_receive_bytes_total Network device statistic receive_bytes.
        # TYPE node_network_receive_bytes_total counter
        node_network_receive_bytes_total{device="docker_gwbridge"} 100.0
        node_network_receive_bytes_total{device="eth0"} 2.08883697E8
        node_network_receive_bytes_total{device="lo"} 1783824.0
        # HELP node_network_receive_compressed_total Network device statistic receive_compressed.
        # TYPE node_network_receive_compressed_total counter
        node_network_receive_compressed_total{device="docker_gwbridge"} 0.0
        node_network_receive_compressed_total{device="eth0"} 5.0
        node_network_receive_compressed_total{device="lo"} 0.0
        # HELP node_network_receive_drop_total Network device statistic receive_drop.
        # TYPE node_network_receive_drop_total counter
        node_network_receive_drop_total{device="docker_gwbridge"} 0.0
        node_network_receive_drop_total{device="eth0"} 2.0
        node_network_receive_drop_total{device="lo"} 0.0
        # HELP node_network_receive_errs_total Network device statistic receive_errs.
        # TYPE node_network_receive_errs_total counter
        node_network_receive_errs_total{device="docker_gwbridge"} 0.0
        node_network_receive_errs_total{device="eth0"} 1.0
        node_network_receive_errs_total{device="lo"} 0.0
        # HELP node_network_receive_fifo_total Network device statistic receive_fifo.
        # TYPE node_network_receive_fifo_total counter
        node_network_receive_fifo_total{device="docker_gwbridge"} 0.0
        node_network_receive_fifo_total{device="eth0"} 3.0
        node_network_receive_fifo_total{device="lo"} 0.0
        # HELP node_network_receive_frame_total Network device statistic receive_frame.
        # TYPE node_network_receive_frame_total counter
        node_network_receive_frame_total{device="docker_gwbridge"} 0.0
        node_network_receive_frame_total{device="eth0"} 4.0
        node_network_receive_frame_total{device="lo"} 0.0
        # HELP node_network_receive_multicast_total Network device statistic receive_multicast.
        # TYPE node_network_receive_multicast_total counter
        node_network_receive_multicast_total{device="docker_gwbridge"} 0.0
        node_network_receive_multicast_total{device="eth0"} 6.0
        node_network_receive_multicast_total{device="lo"} 0.0
        # HELP node_network_receive_nohandler_total Network device statistic receive_nohandler.
        # TYPE node_network_receive_nohandler_total counter
        node_network_receive_nohandler_total{device="eth0"} 13.0
        # HELP node_network_receive_packets_total Network device statistic receive_packets.
        # TYPE node_network_receive_packets_total counter
        node_network_receive_packets_total{device="docker_gwbridge"} 2.0
        node_network_receive_packets_total{device="eth0"} 6662.0
        node_network_receive_packets_total{device="lo"} 3261.0
        # HELP node_network_transmit_bytes_total Network device statistic transmit_bytes.
        # TYPE node_network_transmit_bytes_total counter
        node_network_transmit_bytes_total{device="docker_gwbridge"} 580.0
        node_network_transmit_bytes_total{device="eth0"} 603339.0
        node_network_transmit_bytes_total{device="lo"} 1783825.0
        # HELP node_network_transmit_carrier_total Network device statistic transmit_carrier.
        # TYPE node_network_transmit_carrier_total counter
        node_network_transmit_carrier_total{device="docker_gwbridge"} 0.0
        node_network_transmit_carrier_total{device="eth0"} 11.0
        node_network_transmit_carrier_total{device="lo"} 0.0
        # HELP node_network_transmit_colls_total Network device statistic transmit_colls.
        # TYPE node_network_transmit_colls_total counter
        node_network_transmit_colls_total{device="docker_gwbridge"} 0.0
        node_network_transmit_colls_total{device="eth0"} 10.0
        node_network_transmit_colls_total{device="lo"} 0.0
        # HELP node_network_transmit_compressed_total Network device statistic transmit_compressed.
        # TYPE node_network_transmit_compressed_total counter
        node_network_transmit_compressed_total{device="docker_gwbridge"} 0.0
        node_network_transmit_compressed_total{device="eth0"} 12.0
        node_network_transmit_compressed_total{device="lo"} 0.0
        # HELP node_network_transmit_drop_total Network device statistic transmit_drop.
        # TYPE node_network_transmit_drop_total counter
        node_network_transmit_drop_total{device="docker_gwbridge"} 1.0
        node_network_transmit_drop_total{device="eth0"} 8.0
        node_network_transmit_drop_total{device="lo"} 0.0
        # HELP node_network_transmit_errs_total Network device statistic transmit_errs.
        # TYPE node_network_transmit_errs_total counter
        node_network_transmit_errs_total{device="docker_gwbridge"} 0.0
        node_network_transmit_errs_total{device="eth0"} 7.0
        node_network_transmit_errs_total{device="lo"} 0.0
        # HELP node_network_transmit_fifo_total Network device statistic transmit_fifo.
        # TYPE node_network_transmit_fifo_total counter
        node_network_transmit_fifo_total{device="docker_gwbridge"} 0.0
        node_network_transmit_fifo_total{device="eth0"} 9.0
        node_network_transmit_fifo_total{device="lo"} 0.0
        # HELP node_network_transmit_packets_total Network device statistic transmit_packets.
        # TYPE node_network_transmit_packets_total counter
        node_network_transmit_packets_total{device="docker_gwbridge"} 6.0
        node_network_transmit_packets_total{device="eth0"} 5372.0
        node_network_transmit_packets_total{device="lo"} 3262.0
        """, Exposition.text(collector(tree, Map.of())));
  }

  @Test
  void nohandlerIsReadAfreshOnEveryScrape() {
    var tree = new FixtureTree(dir)
        .file("proc/1/net/dev", HEADER + "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")
        .file("sys/class/net/eth0/statistics/rx_nohandler", "13\n");
    var collector = collector(tree, Map.of());
    assertTrue(Exposition.text(collector).contains("node_network_receive_nohandler_total{device=\"eth0\"} 13.0"));
    tree.file("sys/class/net/eth0/statistics/rx_nohandler", "21\n");
    String second = Exposition.text(collector);
    assertTrue(second.contains("node_network_receive_nohandler_total{device=\"eth0\"} 21.0"), second);
  }

  @Test
  void fallsBackToOwnNamespaceWhenPid1IsHidden() {
    var tree = new FixtureTree(dir).file("proc/net/dev", HEADER + "  eth0: 999 9 9 9 9 9 9 9 998 9 9 9 9 9 9 9\n");
    String text = Exposition.text(collector(tree, Map.of()));
    assertTrue(text.contains("node_network_receive_bytes_total{device=\"eth0\"} 999.0"), text);
  }

  @Test
  void excludeAndIncludeOptionsFilterDevices() {
    var tree = new FixtureTree(dir).file("proc/1/net/dev", HEADER + """
            lo: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0
          eth0: 2 2 0 0 0 0 0 0 2 2 0 0 0 0 0 0
        veth4bd5c70: 3 3 0 0 0 0 0 0 3 3 0 0 0 0 0 0
        """);
    String excluded = Exposition.text(collector(tree, Map.of("collector.netdev.device-exclude", "^(lo|veth.*)$")));
    assertTrue(excluded.contains("{device=\"eth0\"}"), excluded);
    assertFalse(excluded.contains("{device=\"lo\"}") || excluded.contains("veth"), excluded);
    String included = Exposition.text(collector(tree, Map.of("collector.netdev.device-include", "^veth")));
    assertTrue(included.contains("{device=\"veth4bd5c70\"}"), included);
    assertFalse(included.contains("{device=\"eth0\"}"), included);
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(IOException.class, () -> collector(tree, Map.of()).collect(new ArrayList<>()));
  }

  @Test
  void garbledLineIsAnErrorAsInNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/1/net/dev", HEADER + "  eth0: 1 2 3\n");
    assertThrows(IOException.class, () -> collector(tree, Map.of()).collect(new ArrayList<>()));
  }
}
