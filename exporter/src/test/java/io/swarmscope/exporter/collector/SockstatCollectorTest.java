package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SockstatCollectorTest {

  @TempDir Path dir;

  private static final String SOCKSTAT = """
      sockets: used 41
      TCP: inuse 4 orphan 3 tw 90 alloc 7 mem 177
      UDP: inuse 2 mem 5
      UDPLITE: inuse 0
      RAW: inuse 1
      FRAG: inuse 6 memory 8
      """;

  @Test
  void exportsIpv4AndIpv6CountsAndMemoryInBytes() {
    var tree = new FixtureTree(dir).file("proc/1/net/sockstat", SOCKSTAT).file("proc/1/net/sockstat6", """
        TCP6: inuse 12
        UDP6: inuse 11
        UDPLITE6: inuse 0
        RAW6: inuse 13
        FRAG6: inuse 14 memory 15
        """);
    assertEquals("""
        # HELP node_sockstat_FRAG6_inuse Number of FRAG6 sockets in state inuse.
        # TYPE node_sockstat_FRAG6_inuse gauge
        node_sockstat_FRAG6_inuse 14.0
        # HELP node_sockstat_FRAG6_memory Number of FRAG6 sockets in state memory.
        # TYPE node_sockstat_FRAG6_memory gauge
        node_sockstat_FRAG6_memory 15.0
        # HELP node_sockstat_FRAG_inuse Number of FRAG sockets in state inuse.
        # TYPE node_sockstat_FRAG_inuse gauge
        node_sockstat_FRAG_inuse 6.0
        # HELP node_sockstat_FRAG_memory Number of FRAG sockets in state memory.
        # TYPE node_sockstat_FRAG_memory gauge
        node_sockstat_FRAG_memory 8.0
        # HELP node_sockstat_RAW6_inuse Number of RAW6 sockets in state inuse.
        # TYPE node_sockstat_RAW6_inuse gauge
        node_sockstat_RAW6_inuse 13.0
        # HELP node_sockstat_RAW_inuse Number of RAW sockets in state inuse.
        # TYPE node_sockstat_RAW_inuse gauge
        node_sockstat_RAW_inuse 1.0
        # HELP node_sockstat_TCP6_inuse Number of TCP6 sockets in state inuse.
        # TYPE node_sockstat_TCP6_inuse gauge
        node_sockstat_TCP6_inuse 12.0
        # HELP node_sockstat_TCP_alloc Number of TCP sockets in state alloc.
        # TYPE node_sockstat_TCP_alloc gauge
        node_sockstat_TCP_alloc 7.0
        # HELP node_sockstat_TCP_inuse Number of TCP sockets in state inuse.
        # TYPE node_sockstat_TCP_inuse gauge
        node_sockstat_TCP_inuse 4.0
        # HELP node_sockstat_TCP_mem Number of TCP sockets in state mem.
        # TYPE node_sockstat_TCP_mem gauge
        node_sockstat_TCP_mem 177.0
        # HELP node_sockstat_TCP_mem_bytes Number of TCP sockets in state mem_bytes.
        # TYPE node_sockstat_TCP_mem_bytes gauge
        node_sockstat_TCP_mem_bytes 724992.0
        # HELP node_sockstat_TCP_orphan Number of TCP sockets in state orphan.
        # TYPE node_sockstat_TCP_orphan gauge
        node_sockstat_TCP_orphan 3.0
        # HELP node_sockstat_TCP_tw Number of TCP sockets in state tw.
        # TYPE node_sockstat_TCP_tw gauge
        node_sockstat_TCP_tw 90.0
        # HELP node_sockstat_UDP6_inuse Number of UDP6 sockets in state inuse.
        # TYPE node_sockstat_UDP6_inuse gauge
        node_sockstat_UDP6_inuse 11.0
        # HELP node_sockstat_UDPLITE6_inuse Number of UDPLITE6 sockets in state inuse.
        # TYPE node_sockstat_UDPLITE6_inuse gauge
        node_sockstat_UDPLITE6_inuse 0.0
        # HELP node_sockstat_UDPLITE_inuse Number of UDPLITE sockets in state inuse.
        # TYPE node_sockstat_UDPLITE_inuse gauge
        node_sockstat_UDPLITE_inuse 0.0
        # HELP node_sockstat_UDP_inuse Number of UDP sockets in state inuse.
        # TYPE node_sockstat_UDP_inuse gauge
        node_sockstat_UDP_inuse 2.0
        # HELP node_sockstat_UDP_mem Number of UDP sockets in state mem.
        # TYPE node_sockstat_UDP_mem gauge
        node_sockstat_UDP_mem 5.0
        # HELP node_sockstat_UDP_mem_bytes Number of UDP sockets in state mem_bytes.
        # TYPE node_sockstat_UDP_mem_bytes gauge
        node_sockstat_UDP_mem_bytes 20480.0
        # HELP node_sockstat_sockets_used Number of IPv4 sockets in use.
        # TYPE node_sockstat_sockets_used gauge
        node_sockstat_sockets_used 41.0
        """, Exposition.text(new SockstatCollector(tree.paths(), 4096)));
  }

  @Test
  void ipv6DisabledOnTheHostIsNotAnError() {
    // The container's own namespace has sockstat6; the host's does not, so none is reported.
    var tree = new FixtureTree(dir).file("proc/1/net/sockstat", SOCKSTAT)
        .file("proc/net/sockstat6", "TCP6: inuse 99\n");
    String text = Exposition.text(new SockstatCollector(tree.paths(), 4096));
    assertTrue(text.contains("node_sockstat_TCP_inuse 4.0"), text);
    assertTrue(!text.contains("TCP6"), text);
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(IOException.class, () -> new SockstatCollector(tree.paths(), 4096).collect(new ArrayList<>()));
  }

  @Test
  void garbledLineIsAnErrorAsInNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/1/net/sockstat", "sockets: used 41\nTCP: inuse 4 orphan\n");
    assertThrows(IOException.class, () -> new SockstatCollector(tree.paths(), 4096).collect(new ArrayList<>()));
  }
}
