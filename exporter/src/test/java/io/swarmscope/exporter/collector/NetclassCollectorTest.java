package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetclassCollectorTest {

  @TempDir Path dir;

  /** A device directory as sysfs shows it; {@code null} values are files the kernel refuses. */
  private FixtureTree device(FixtureTree tree, String name, Map<String, String> files) {
    files.forEach((file, value) -> tree.file("sys/class/net/" + name + "/" + file, value + "\n"));
    return tree;
  }

  /**
   * eth0 from a physical host (hex flags, a 25 Gbit/s speed, an alias with blanks), lo as the
   * kernel shows it (no speed or duplex: reading them gives EINVAL, here they are absent), a
   * veth whose driver reports speed -1, a device with a corrupt mtu, and bonding_masters, a
   * regular file in class/net that is no device.
   */
  private FixtureTree host() {
    var tree = new FixtureTree(dir).file("sys/class/net/bonding_masters", "bond0\n");
    device(tree, "eth0", Map.ofEntries(Map.entry("addr_assign_type", "0"),
        Map.entry("address", "0c:c4:7a:11:22:33"), Map.entry("broadcast", "ff:ff:ff:ff:ff:ff"),
        Map.entry("carrier", "1"), Map.entry("carrier_changes", "7"), Map.entry("carrier_up_count", "4"),
        Map.entry("carrier_down_count", "3"), Map.entry("dev_id", "0x0"), Map.entry("dormant", "0"),
        Map.entry("duplex", "full"), Map.entry("flags", "0x1003"), Map.entry("ifalias", "uplink to tor-2"),
        Map.entry("ifindex", "2"), Map.entry("iflink", "2"), Map.entry("link_mode", "0"),
        Map.entry("mtu", "9000"), Map.entry("name_assign_type", "4"), Map.entry("netdev_group", "0"),
        Map.entry("operstate", "up"), Map.entry("speed", "25000"), Map.entry("tx_queue_len", "1000"),
        Map.entry("type", "1")));
    device(tree, "lo", Map.ofEntries(Map.entry("addr_assign_type", "0"),
        Map.entry("address", "00:00:00:00:00:00"), Map.entry("broadcast", "00:00:00:00:00:00"),
        Map.entry("carrier", "1"), Map.entry("flags", "0x9"), Map.entry("ifindex", "1"),
        Map.entry("iflink", "1"), Map.entry("mtu", "65536"), Map.entry("operstate", "unknown"),
        Map.entry("tx_queue_len", "1000"), Map.entry("type", "772")));
    device(tree, "veth3f2a1b0", Map.of("address", "9a:0e:5c:44:55:66", "carrier", "0",
        "operstate", "lowerlayerdown", "speed", "-1", "ifindex", "31", "iflink", "30", "mtu", "1450"));
    device(tree, "bad0", Map.of("operstate", "down", "mtu", "12x", "ifindex", "99"));
    return tree;
  }

  @Test
  void exportsEveryPropertyLikeNodeExporter() {
    var collector = new NetclassCollector(host().paths(), Pattern.compile("^$"), false);
    assertEquals("""
        # HELP node_network_address_assign_type Network device property: address_assign_type
        # TYPE node_network_address_assign_type gauge
        node_network_address_assign_type{device="eth0"} 0.0
        node_network_address_assign_type{device="lo"} 0.0
        # HELP node_network_carrier Network device property: carrier
        # TYPE node_network_carrier gauge
        node_network_carrier{device="eth0"} 1.0
        node_network_carrier{device="lo"} 1.0
        node_network_carrier{device="veth3f2a1b0"} 0.0
        # HELP node_network_carrier_changes_total Network device property: carrier_changes_total
        # TYPE node_network_carrier_changes_total counter
        node_network_carrier_changes_total{device="eth0"} 7.0
        # HELP node_network_carrier_down_changes_total Network device property: carrier_down_changes_total
        # TYPE node_network_carrier_down_changes_total counter
        node_network_carrier_down_changes_total{device="eth0"} 3.0
        # HELP node_network_carrier_up_changes_total Network device property: carrier_up_changes_total
        # TYPE node_network_carrier_up_changes_total counter
        node_network_carrier_up_changes_total{device="eth0"} 4.0
        # HELP node_network_device_id Network device property: device_id
        # TYPE node_network_device_id gauge
        node_network_device_id{device="eth0"} 0.0
        # HELP node_network_dormant Network device property: dormant
        # TYPE node_network_dormant gauge
        node_network_dormant{device="eth0"} 0.0
        # HELP node_network_flags Network device property: flags
        # TYPE node_network_flags gauge
        node_network_flags{device="eth0"} 4099.0
        node_network_flags{device="lo"} 9.0
        # HELP node_network_iface_id Network device property: iface_id
        # TYPE node_network_iface_id gauge
        node_network_iface_id{device="bad0"} 99.0
        node_network_iface_id{device="eth0"} 2.0
        node_network_iface_id{device="lo"} 1.0
        node_network_iface_id{device="veth3f2a1b0"} 31.0
        # HELP node_network_iface_link Network device property: iface_link
        # TYPE node_network_iface_link gauge
        node_network_iface_link{device="eth0"} 2.0
        node_network_iface_link{device="lo"} 1.0
        node_network_iface_link{device="veth3f2a1b0"} 30.0
        # HELP node_network_iface_link_mode Network device property: iface_link_mode
        # TYPE node_network_iface_link_mode gauge
        node_network_iface_link_mode{device="eth0"} 0.0
        # HELP node_network_info Non-numeric data from /sys/class/net/<iface>, value is always 1.
        # TYPE node_network_info gauge
        node_network_info{address="",broadcast="",device="bad0",duplex="",ifalias="",operstate="down"} 1.0
        node_network_info{address="00:00:00:00:00:00",broadcast="00:00:00:00:00:00",device="lo",duplex="",ifalias="",operstate="unknown"} 1.0
        node_network_info{address="0c:c4:7a:11:22:33",broadcast="ff:ff:ff:ff:ff:ff",device="eth0",duplex="full",ifalias="uplink to tor-2",operstate="up"} 1.0
        node_network_info{address="9a:0e:5c:44:55:66",broadcast="",device="veth3f2a1b0",duplex="",ifalias="",operstate="lowerlayerdown"} 1.0
        # HELP node_network_mtu_bytes Network device property: mtu_bytes
        # TYPE node_network_mtu_bytes gauge
        node_network_mtu_bytes{device="eth0"} 9000.0
        node_network_mtu_bytes{device="lo"} 65536.0
        node_network_mtu_bytes{device="veth3f2a1b0"} 1450.0
        # HELP node_network_name_assign_type Network device property: name_assign_type
        # TYPE node_network_name_assign_type gauge
        node_network_name_assign_type{device="eth0"} 4.0
        # HELP node_network_net_dev_group Network device property: net_dev_group
        # TYPE node_network_net_dev_group gauge
        node_network_net_dev_group{device="eth0"} 0.0
        # HELP node_network_protocol_type Network device property: protocol_type
        # TYPE node_network_protocol_type gauge
        node_network_protocol_type{device="eth0"} 1.0
        node_network_protocol_type{device="lo"} 772.0
        # HELP node_network_speed_bytes Network device property: speed_bytes
        # TYPE node_network_speed_bytes gauge
        node_network_speed_bytes{device="eth0"} 3.125E9
        node_network_speed_bytes{device="veth3f2a1b0"} -125000.0
        # HELP node_network_transmit_queue_length Network device property: transmit_queue_length
        # TYPE node_network_transmit_queue_length gauge
        node_network_transmit_queue_length{device="eth0"} 1000.0
        node_network_transmit_queue_length{device="lo"} 1000.0
        # HELP node_network_up Value is 1 if operstate is 'up', 0 otherwise.
        # TYPE node_network_up gauge
        node_network_up{device="bad0"} 0.0
        node_network_up{device="eth0"} 1.0
        node_network_up{device="lo"} 0.0
        node_network_up{device="veth3f2a1b0"} 0.0
        """, Exposition.text(collector));
  }

  @Test
  void optionsIgnoreDevicesAndInvalidSpeeds() {
    var context = new CollectorContext(host().paths(), java.time.Clock.systemUTC(), null,
        () -> null, Map.of(NetclassCollector.IGNORED_DEVICES_OPTION, "^(lo|bad0)$",
            NetclassCollector.IGNORE_INVALID_SPEED_OPTION, "true"));
    String text = Exposition.text(new NetclassCollector(context));
    assertEquals("""
        # HELP node_network_speed_bytes Network device property: speed_bytes
        # TYPE node_network_speed_bytes gauge
        node_network_speed_bytes{device="eth0"} 3.125E9
        """, text.substring(text.indexOf("# HELP node_network_speed_bytes"),
            text.indexOf("# HELP node_network_transmit_queue_length")));
    assertEquals("""
        # HELP node_network_up Value is 1 if operstate is 'up', 0 otherwise.
        # TYPE node_network_up gauge
        node_network_up{device="eth0"} 1.0
        node_network_up{device="veth3f2a1b0"} 0.0
        """, text.substring(text.indexOf("# HELP node_network_up")));
  }

  @Test
  void hostWithoutClassNetIsNoData() {
    var collector = new NetclassCollector(new FixtureTree(dir).paths(), Pattern.compile("^$"), false);
    assertThrows(NoDataException.class, () -> collector.collect(new ArrayList<>()));
  }

  @Test
  void parsesIntegersAsGoDoesWithBaseZero() {
    assertEquals(4099L, NetclassCollector.parseGoInt("0x1003"));
    assertEquals(0L, NetclassCollector.parseGoInt("0x0"));
    assertEquals(8L, NetclassCollector.parseGoInt("010"));
    assertEquals(3L, NetclassCollector.parseGoInt("0b11"));
    assertEquals(-1L, NetclassCollector.parseGoInt("-1"));
    assertEquals(-16L, NetclassCollector.parseGoInt("-0x10"));
    assertEquals(0L, NetclassCollector.parseGoInt("0"));
    assertNull(NetclassCollector.parseGoInt(""));
    assertNull(NetclassCollector.parseGoInt("0x"));
    assertNull(NetclassCollector.parseGoInt("1e3"));
    assertNull(NetclassCollector.parseGoInt("--1"));
    assertNull(NetclassCollector.parseGoInt("9223372036854775808"));
  }
}
