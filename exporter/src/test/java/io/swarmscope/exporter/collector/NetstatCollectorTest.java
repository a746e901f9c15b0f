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

class NetstatCollectorTest {

  @TempDir Path dir;

  private static final String NETSTAT = """
      TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts ListenOverflows ListenDrops TCPTimeouts TCPSynRetrans
      TcpExt: 1 2 3 4 5 6 7 8
      IpExt: InNoRoutes InOctets OutOctets
      IpExt: 9 10 11
      """;

  private static final String SNMP = """
      Ip: Forwarding DefaultTTL InReceives InHdrErrors
      Ip: 1 64 12319 12
      Icmp: InMsgs InErrors InCsumErrors OutMsgs
      Icmp: 13 14 15 16
      Tcp: RtoAlgorithm ActiveOpens PassiveOpens InSegs OutSegs RetransSegs InErrs OutRsts CurrEstab
      Tcp: 1 17 18 19 20 21 22 23 24
      Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors
      Udp: 25 26 27 28 29 30
      UdpLite: InDatagrams InErrors
      UdpLite: 31 32
      """;

  private static final String SNMP6 = """
      Ip6InReceives                   \t33
      Ip6InOctets                     \t34
      Ip6OutOctets                    \t35
      Icmp6InMsgs                     \t36
      Icmp6InErrors                   \t37
      Udp6InDatagrams                 \t38
      Udp6NoPorts                     \t39
      UdpLite6InErrors                \t40
      """;

  private static NetstatCollector collector(FixtureTree tree, Map<String, String> options) {
    return new NetstatCollector(new CollectorContext(tree.paths(), Clock.systemUTC(), p -> null, options));
  }

  @Test
  void exportsTheDefaultFieldsOfAllThreeFiles() {
    var tree = new FixtureTree(dir).file("proc/1/net/netstat", NETSTAT).file("proc/1/net/snmp", SNMP)
        .file("proc/1/net/snmp6", SNMP6);
    String text = Exposition.text(collector(tree, Map.of()));
    assertEquals("""
        # HELP node_netstat_Icmp6_InErrors Statistic Icmp6InErrors.
        # TYPE node_netstat_Icmp6_InErrors untyped
        node_netstat_Icmp6_InErrors 37.0
        # HELP node_netstat_Icmp6_InMsgs Statistic Icmp6InMsgs.
        # TYPE node_netstat_Icmp6_InMsgs untyped
        node_netstat_Icmp6_InMsgs 36.0
        # HELP node_netstat_Icmp_InErrors Statistic IcmpInErrors.
        # TYPE node_netstat_Icmp_InErrors untyped
        node_netstat_Icmp_InErrors 14.0
        # HELP node_netstat_Icmp_InMsgs Statistic IcmpInMsgs.
        # TYPE node_netstat_Icmp_InMsgs untyped
        node_netstat_Icmp_InMsgs 13.0
        # HELP node_netstat_Icmp_OutMsgs Statistic IcmpOutMsgs.
        # TYPE node_netstat_Icmp_OutMsgs untyped
        node_netstat_Icmp_OutMsgs 16.0
        # HELP node_netstat_Ip6_InOctets Statistic Ip6InOctets.
        # TYPE node_netstat_Ip6_InOctets untyped
        node_netstat_Ip6_InOctets 34.0
        # HELP node_netstat_Ip6_OutOctets Statistic Ip6OutOctets.
        # TYPE node_netstat_Ip6_OutOctets untyped
        node_netstat_Ip6_OutOctets 35.0
        # HELP node_netstat_IpExt_InOctets Statistic IpExtInOctets.
        # TYPE node_netstat_IpExt_InOctets untyped
        node_netstat_IpExt_InOctets 10.0
        # HELP node_netstat_IpExt_OutOctets Statistic IpExtOutOctets.
        # TYPE node_netstat_IpExt_OutOctets untyped
        node_netstat_IpExt_OutOctets 11.0
        # HELP node_netstat_Ip_Forwarding Statistic IpForwarding.
        # TYPE node_netstat_Ip_Forwarding untyped
        node_netstat_Ip_Forwarding 1.0
        # HELP node_netstat_TcpExt_ListenDrops Statistic TcpExtListenDrops.
        # TYPE node_netstat_TcpExt_ListenDrops untyped
        node_netstat_TcpExt_ListenDrops 6.0
        # HELP node_netstat_TcpExt_ListenOverflows Statistic TcpExtListenOverflows.
        # TYPE node_netstat_TcpExt_ListenOverflows untyped
        node_netstat_TcpExt_ListenOverflows 5.0
        # HELP node_netstat_TcpExt_SyncookiesFailed Statistic TcpExtSyncookiesFailed.
        # TYPE node_netstat_TcpExt_SyncookiesFailed untyped
        node_netstat_TcpExt_SyncookiesFailed 3.0
        # HELP node_netstat_TcpExt_SyncookiesRecv Statistic TcpExtSyncookiesRecv.
        # TYPE node_netstat_TcpExt_SyncookiesRecv untyped
        node_netstat_TcpExt_SyncookiesRecv 2.0
        # HELP node_netstat_TcpExt_SyncookiesSent Statistic TcpExtSyncookiesSent.
        # TYPE node_netstat_TcpExt_SyncookiesSent untyped
        node_netstat_TcpExt_SyncookiesSent 1.0
        # HELP node_netstat_TcpExt_TCPSynRetrans Statistic TcpExtTCPSynRetrans.
        # TYPE node_netstat_TcpExt_TCPSynRetrans untyped
        node_netstat_TcpExt_TCPSynRetrans 8.0
        # HELP node_netstat_TcpExt_TCPTimeouts Statistic TcpExtTCPTimeouts.
        # TYPE node_netstat_TcpExt_TCPTimeouts untyped
        node_netstat_TcpExt_TCPTimeouts 7.0
        # HELP node_netstat_Tcp_ActiveOpens Statistic TcpActiveOpens.
        # TYPE node_netstat_Tcp_ActiveOpens untyped
        node_netstat_Tcp_ActiveOpens 17.0
        # HELP node_netstat_Tcp_CurrEstab Statistic TcpCurrEstab.
        # TYPE node_netstat_Tcp_CurrEstab untyped
        node_netstat_Tcp_CurrEstab 24.0
        # HELP node_netstat_Tcp_InErrs Statistic TcpInErrs.
        # TYPE node_netstat_Tcp_InErrs untyped
        node_netstat_Tcp_InErrs 22.0
        # HELP node_netstat_Tcp_InSegs Statistic TcpInSegs.
        # TYPE node_netstat_Tcp_InSegs untyped
        node_netstat_Tcp_InSegs 19.0
        # HELP node_netstat_Tcp_OutRsts Statistic TcpOutRsts.
        # TYPE node_netstat_Tcp_OutRsts untyped
        node_netstat_Tcp_OutRsts 23.0
        # HELP node_netstat_Tcp_OutSegs Statistic TcpOutSegs.
        # TYPE node_netstat_Tcp_OutSegs untyped
        node_netstat_Tcp_OutSegs 20.0
        # HELP node_netstat_Tcp_PassiveOpens Statistic TcpPassiveOpens.
        # TYPE node_netstat_Tcp_PassiveOpens untyped
        node_netstat_Tcp_PassiveOpens 18.0
        # HELP node_netstat_Tcp_RetransSegs Statistic TcpRetransSegs.
        # TYPE node_netstat_Tcp_RetransSegs untyped
        node_netstat_Tcp_RetransSegs 21.0
        # HELP node_netstat_Udp6_InDatagrams Statistic Udp6InDatagrams.
        # TYPE node_netstat_Udp6_InDatagrams untyped
        node_netstat_Udp6_InDatagrams 38.0
        # HELP node_netstat_Udp6_NoPorts Statistic Udp6NoPorts.
        # TYPE node_netstat_Udp6_NoPorts untyped
        node_netstat_Udp6_NoPorts 39.0
        # HELP node_netstat_UdpLite6_InErrors Statistic UdpLite6InErrors.
        # TYPE node_netstat_UdpLite6_InErrors untyped
        node_netstat_UdpLite6_InErrors 40.0
        # HELP node_netstat_UdpLite_InErrors Statistic UdpLiteInErrors.
        # TYPE node_netstat_UdpLite_InErrors untyped
        node_netstat_UdpLite_InErrors 32.0
        # HELP node_netstat_Udp_InDatagrams Statistic UdpInDatagrams.
        # TYPE node_netstat_Udp_InDatagrams untyped
        node_netstat_Udp_InDatagrams 25.0
        # HELP node_netstat_Udp_InErrors Statistic UdpInErrors.
        # TYPE node_netstat_Udp_InErrors untyped
        node_netstat_Udp_InErrors 27.0
        # HELP node_netstat_Udp_NoPorts Statistic UdpNoPorts.
        # TYPE node_netstat_Udp_NoPorts untyped
        node_netstat_Udp_NoPorts 26.0
        # HELP node_netstat_Udp_OutDatagrams Statistic UdpOutDatagrams.
        # TYPE node_netstat_Udp_OutDatagrams untyped
        node_netstat_Udp_OutDatagrams 28.0
        # HELP node_netstat_Udp_RcvbufErrors Statistic UdpRcvbufErrors.
        # TYPE node_netstat_Udp_RcvbufErrors untyped
        node_netstat_Udp_RcvbufErrors 29.0
        # HELP node_netstat_Udp_SndbufErrors Statistic UdpSndbufErrors.
        # TYPE node_netstat_Udp_SndbufErrors untyped
        node_netstat_Udp_SndbufErrors 30.0
        """, text);
  }

  @Test
  void fieldsOptionSelectsOtherFields() {
    var tree = new FixtureTree(dir).file("proc/1/net/netstat", NETSTAT).file("proc/1/net/snmp", SNMP);
    String text = Exposition.text(collector(tree, Map.of("collector.netstat.fields", "^(Ip_DefaultTTL|TcpExt_EmbryonicRsts)$")));
    assertEquals("""
        # HELP node_netstat_Ip_DefaultTTL Statistic IpDefaultTTL.
        # TYPE node_netstat_Ip_DefaultTTL untyped
        node_netstat_Ip_DefaultTTL 64.0
        # HELP node_netstat_TcpExt_EmbryonicRsts Statistic TcpExtEmbryonicRsts.
        # TYPE node_netstat_TcpExt_EmbryonicRsts untyped
        node_netstat_TcpExt_EmbryonicRsts 4.0
        """, text);
  }

  @Test
  void ipv6DisabledOnTheHostIsNotAnErrorAndDoesNotReadTheContainersFile() {
    var tree = new FixtureTree(dir).file("proc/1/net/netstat", NETSTAT).file("proc/1/net/snmp", SNMP)
        .file("proc/net/snmp6", SNMP6);
    String text = Exposition.text(collector(tree, Map.of()));
    assertTrue(text.contains("node_netstat_Tcp_InSegs 19.0"), text);
    assertFalse(text.contains("Ip6_"), text);
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir).file("proc/1/net/netstat", NETSTAT);
    assertThrows(IOException.class, () -> collector(tree, Map.of()).collect(new ArrayList<>()));
  }

  @Test
  void headerAndValueCountMismatchIsAnErrorAsInNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/1/net/netstat", NETSTAT)
        .file("proc/1/net/snmp", "Tcp: ActiveOpens PassiveOpens\nTcp: 1\n");
    assertThrows(IOException.class, () -> collector(tree, Map.of()).collect(new ArrayList<>()));
  }
}
