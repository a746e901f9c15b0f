package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NfsCollectorTest {

  /**
   * node_exporter's fixture: a v4 line with 48 procedures (an older kernel), padded with zeros.
   * The expected values were checked against node_exporter 1.5.0 run on this file.
   */
  static final String NFS = """
        net 70 70 69 45
        rpc 1218785755 374636 1218815394
        proc2 18 16 57 74 52 71 73 45 86 0 52 83 61 17 53 50 23 70 82
        proc3 22 0 1061909262 48906 4077635 117661341 5 29391916 2570425 2993289 590 0 0 7815 15 1130 0 3983 92385 13332 2 1 23729
        proc4 48 98 51 54 83 85 23 24 1 28 73 68 83 12 84 39 68 59 58 88 29 74 69 96 21 84 15 53 86 54 66 56 97 36 49 32 85 81 11 58 32 67 13 28 35 1 90 26 0
        """;

  @TempDir Path dir;

  @Test
  void exportsRpcAndPerProcedureCounters() {
    var tree = new FixtureTree(dir).file("proc/net/rpc/nfs", NFS);
    assertEquals(GOLDEN, Exposition.text(new NfsCollector(tree.paths())));
  }

  @Test
  void readsTheHostsNamespaceNotTheExportersOwn() {
    // In a container, <procfs>/net is the container's namespace, whose NFS counts are its own.
    var tree = new FixtureTree(dir).file("proc/1/net/rpc/nfs", NFS)
        .file("proc/net/rpc/nfs", "net 0 0 0 0\nrpc 0 0 0\n");
    assertEquals(GOLDEN, Exposition.text(new NfsCollector(tree.paths())));
  }

  @Test
  void hostWithoutNfsClientIsNoDataEvenWhenTheContainerHasTheFile() {
    var tree = new FixtureTree(dir).file("proc/1/net/dev", "")
        .file("proc/net/rpc/nfs", "net 0 0 0 0\nrpc 0 0 0\n");
    assertThrows(NoDataException.class, () -> new NfsCollector(tree.paths()).collect(new ArrayList<>()));
  }

  @Test
  void hostWithoutNfsClientIsNoData() {
    assertThrows(NoDataException.class,
        () -> new NfsCollector(new FixtureTree(dir).paths()).collect(new ArrayList<>()));
  }

  @Test
  void procedureCountThatDoesNotMatchIsAnError() {
    var tree = new FixtureTree(dir).file("proc/net/rpc/nfs", NFS.replace("proc3 22 0", "proc3 23 0"));
    var e = assertThrows(IOException.class, () -> new NfsCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException);
  }

  @Test
  void unknownLineIsAnError() {
    var tree = new FixtureTree(dir).file("proc/net/rpc/nfs", NFS + "proc9 1 1\n");
    assertThrows(IOException.class, () -> new NfsCollector(tree.paths()).collect(new ArrayList<>()));
  }

  static final String GOLDEN = """
      # HELP node_nfs_connections_total Total number of NFSd TCP connections.
      # TYPE node_nfs_connections_total counter
      node_nfs_connections_total 45.0
      # HELP node_nfs_packets_total Total NFSd network packets (sent+received) by protocol type.
      # TYPE node_nfs_packets_total counter
      node_nfs_packets_total{protocol="tcp"} 69.0
      node_nfs_packets_total{protocol="udp"} 70.0
      # HELP node_nfs_requests_total Number of NFS procedures invoked.
      # TYPE node_nfs_requests_total counter
      node_nfs_requests_total{method="Access",proto="3"} 1.17661341E8
      node_nfs_requests_total{method="Access",proto="4"} 58.0
      node_nfs_requests_total{method="Allocate",proto="4"} 0.0
      node_nfs_requests_total{method="BindConnToSession",proto="4"} 0.0
      node_nfs_requests_total{method="Clone",proto="4"} 0.0
      node_nfs_requests_total{method="Close",proto="4"} 28.0
      node_nfs_requests_total{method="Commit",proto="3"} 23729.0
      node_nfs_requests_total{method="Commit",proto="4"} 83.0
      node_nfs_requests_total{method="Create",proto="2"} 52.0
      node_nfs_requests_total{method="Create",proto="3"} 2993289.0
      node_nfs_requests_total{method="Create",proto="4"} 15.0
      node_nfs_requests_total{method="CreateSession",proto="4"} 32.0
      node_nfs_requests_total{method="DeAllocate",proto="4"} 0.0
      node_nfs_requests_total{method="DelegReturn",proto="4"} 97.0
      node_nfs_requests_total{method="DestroyClientID",proto="4"} 0.0
      node_nfs_requests_total{method="DestroySession",proto="4"} 67.0
      node_nfs_requests_total{method="ExchangeID",proto="4"} 58.0
      node_nfs_requests_total{method="FreeStateID",proto="4"} 0.0
      node_nfs_requests_total{method="FsInfo",proto="3"} 2.0
      node_nfs_requests_total{method="FsInfo",proto="4"} 68.0
      node_nfs_requests_total{method="FsLocations",proto="4"} 32.0
      node_nfs_requests_total{method="FsStat",proto="2"} 82.0
      node_nfs_requests_total{method="FsStat",proto="3"} 13332.0
      node_nfs_requests_total{method="FsidPresent",proto="4"} 11.0
      node_nfs_requests_total{method="GetACL",proto="4"} 36.0
      node_nfs_requests_total{method="GetAttr",proto="2"} 57.0
      node_nfs_requests_total{method="GetAttr",proto="3"} 1.061909262E9
      node_nfs_requests_total{method="GetDeviceInfo",proto="4"} 90.0
      node_nfs_requests_total{method="GetDeviceList",proto="4"} 0.0
      node_nfs_requests_total{method="GetLeaseTime",proto="4"} 28.0
      node_nfs_requests_total{method="Getattr",proto="4"} 88.0
      node_nfs_requests_total{method="LayoutCommit",proto="4"} 26.0
      node_nfs_requests_total{method="LayoutGet",proto="4"} 1.0
      node_nfs_requests_total{method="LayoutReturn",proto="4"} 0.0
      node_nfs_requests_total{method="LayoutStats",proto="4"} 0.0
      node_nfs_requests_total{method="Link",proto="2"} 17.0
      node_nfs_requests_total{method="Link",proto="3"} 0.0
      node_nfs_requests_total{method="Link",proto="4"} 21.0
      node_nfs_requests_total{method="Lock",proto="4"} 39.0
      node_nfs_requests_total{method="Lockt",proto="4"} 68.0
      node_nfs_requests_total{method="Locku",proto="4"} 59.0
      node_nfs_requests_total{method="Lookup",proto="2"} 71.0
      node_nfs_requests_total{method="Lookup",proto="3"} 4077635.0
      node_nfs_requests_total{method="Lookup",proto="4"} 29.0
      node_nfs_requests_total{method="LookupRoot",proto="4"} 74.0
      node_nfs_requests_total{method="MkDir",proto="2"} 50.0
      node_nfs_requests_total{method="MkDir",proto="3"} 590.0
      node_nfs_requests_total{method="MkNod",proto="3"} 0.0
      node_nfs_requests_total{method="Null",proto="2"} 16.0
      node_nfs_requests_total{method="Null",proto="3"} 0.0
      node_nfs_requests_total{method="Null",proto="4"} 98.0
      node_nfs_requests_total{method="Open",proto="4"} 85.0
      node_nfs_requests_total{method="OpenConfirm",proto="4"} 23.0
      node_nfs_requests_total{method="OpenDowngrade",proto="4"} 1.0
      node_nfs_requests_total{method="OpenNoattr",proto="4"} 24.0
      node_nfs_requests_total{method="PathConf",proto="3"} 1.0
      node_nfs_requests_total{method="Pathconf",proto="4"} 53.0
      node_nfs_requests_total{method="Read",proto="2"} 45.0
      node_nfs_requests_total{method="Read",proto="3"} 2.9391916E7
      node_nfs_requests_total{method="Read",proto="4"} 51.0
      node_nfs_requests_total{method="ReadDir",proto="2"} 70.0
      node_nfs_requests_total{method="ReadDir",proto="3"} 3983.0
      node_nfs_requests_total{method="ReadDir",proto="4"} 66.0
      node_nfs_requests_total{method="ReadDirPlus",proto="3"} 92385.0
      node_nfs_requests_total{method="ReadLink",proto="2"} 73.0
      node_nfs_requests_total{method="ReadLink",proto="3"} 5.0
      node_nfs_requests_total{method="ReadLink",proto="4"} 54.0
      node_nfs_requests_total{method="ReclaimComplete",proto="4"} 35.0
      node_nfs_requests_total{method="ReleaseLockowner",proto="4"} 85.0
      node_nfs_requests_total{method="Remove",proto="2"} 83.0
      node_nfs_requests_total{method="Remove",proto="3"} 7815.0
      node_nfs_requests_total{method="Remove",proto="4"} 69.0
      node_nfs_requests_total{method="Rename",proto="2"} 61.0
      node_nfs_requests_total{method="Rename",proto="3"} 1130.0
      node_nfs_requests_total{method="Rename",proto="4"} 96.0
      node_nfs_requests_total{method="Renew",proto="4"} 83.0
      node_nfs_requests_total{method="RmDir",proto="2"} 23.0
      node_nfs_requests_total{method="RmDir",proto="3"} 15.0
      node_nfs_requests_total{method="Root",proto="2"} 52.0
      node_nfs_requests_total{method="Secinfo",proto="4"} 81.0
      node_nfs_requests_total{method="SecinfoNoName",proto="4"} 0.0
      node_nfs_requests_total{method="Seek",proto="4"} 0.0
      node_nfs_requests_total{method="Sequence",proto="4"} 13.0
      node_nfs_requests_total{method="ServerCaps",proto="4"} 56.0
      node_nfs_requests_total{method="SetACL",proto="4"} 49.0
      node_nfs_requests_total{method="SetAttr",proto="2"} 74.0
      node_nfs_requests_total{method="SetAttr",proto="3"} 48906.0
      node_nfs_requests_total{method="SetClientID",proto="4"} 12.0
      node_nfs_requests_total{method="SetClientIDConfirm",proto="4"} 84.0
      node_nfs_requests_total{method="Setattr",proto="4"} 73.0
      node_nfs_requests_total{method="StatFs",proto="4"} 86.0
      node_nfs_requests_total{method="SymLink",proto="2"} 53.0
      node_nfs_requests_total{method="SymLink",proto="3"} 0.0
      node_nfs_requests_total{method="Symlink",proto="4"} 84.0
      node_nfs_requests_total{method="TestStateID",proto="4"} 0.0
      node_nfs_requests_total{method="WrCache",proto="2"} 86.0
      node_nfs_requests_total{method="Write",proto="2"} 0.0
      node_nfs_requests_total{method="Write",proto="3"} 2570425.0
      node_nfs_requests_total{method="Write",proto="4"} 54.0
      # HELP node_nfs_rpc_authentication_refreshes_total Number of RPC authentication refreshes performed.
      # TYPE node_nfs_rpc_authentication_refreshes_total counter
      node_nfs_rpc_authentication_refreshes_total 1.218815394E9
      # HELP node_nfs_rpc_retransmissions_total Number of RPC transmissions performed.
      # TYPE node_nfs_rpc_retransmissions_total counter
      node_nfs_rpc_retransmissions_total 374636.0
      # HELP node_nfs_rpcs_total Total number of RPCs performed.
      # TYPE node_nfs_rpcs_total counter
      node_nfs_rpcs_total 1.218785755E9
      """;
}
