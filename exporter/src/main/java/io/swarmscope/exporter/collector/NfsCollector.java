package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostNetFiles;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * node_exporter's {@code nfs} collector: NFS client RPC statistics from {@code net/rpc/nfs} of
 * the host's network namespace (see {@link HostNetFiles}). {@code /proc/net/rpc} is per network
 * namespace: older kernels register the NFS client's file in the initial namespace only, recent
 * ones in each namespace with that namespace's own counts, so the exporter's own copy in a
 * container is either missing or the container's.
 *
 * <p>Procedure counts become {@code node_nfs_requests_total{proto,method}} with the method names
 * of node_exporter 1.5 (they differ in case between versions, e.g. {@code SetAttr} in v2/v3 and
 * {@code Setattr} in v4: kept as they are).
 *
 * <p>Each {@code procN} line starts with the number of values that follow; a line whose count
 * does not match is an error. NFSv4 lines from older kernels with fewer procedures are padded
 * with zeros, as node_exporter does. A host without the NFS client module has no file: no data.
 */
public final class NfsCollector implements Collector {

  private static final String[] V2 = {"Null", "GetAttr", "SetAttr", "Root", "Lookup", "ReadLink",
      "Read", "WrCache", "Write", "Create", "Remove", "Rename", "Link", "SymLink", "MkDir", "RmDir",
      "ReadDir", "FsStat"};
  private static final String[] V3 = {"Null", "GetAttr", "SetAttr", "Lookup", "Access", "ReadLink",
      "Read", "Write", "Create", "MkDir", "SymLink", "MkNod", "Remove", "RmDir", "Rename", "Link",
      "ReadDir", "ReadDirPlus", "FsStat", "FsInfo", "PathConf", "Commit"};
  /** The kernel's NFSv4 client operation order, as far as node_exporter 1.5 maps it. */
  private static final String[] V4 = {"Null", "Read", "Write", "Commit", "Open", "OpenConfirm",
      "OpenNoattr", "OpenDowngrade", "Close", "Setattr", "FsInfo", "Renew", "SetClientID",
      "SetClientIDConfirm", "Lock", "Lockt", "Locku", "Access", "Getattr", "Lookup", "LookupRoot",
      "Remove", "Rename", "Link", "Symlink", "Create", "Pathconf", "StatFs", "ReadLink", "ReadDir",
      "ServerCaps", "DelegReturn", "GetACL", "SetACL", "FsLocations", "ReleaseLockowner", "Secinfo",
      "FsidPresent", "ExchangeID", "CreateSession", "DestroySession", "Sequence", "GetLeaseTime",
      "ReclaimComplete", "LayoutGet", "GetDeviceInfo", "LayoutCommit", "LayoutReturn",
      "SecinfoNoName", "TestStateID", "FreeStateID", "GetDeviceList", "BindConnToSession",
      "DestroyClientID", "Seek", "Allocate", "DeAllocate", "LayoutStats", "Clone"};

  private static final String FILE = "rpc/nfs";

  private final HostNetFiles net;
  private final String file;

  public NfsCollector(HostPaths paths) {
    this.net = new HostNetFiles(paths);
    this.file = "net/" + FILE;
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String content;
    try {
      content = net.read(FILE);
    } catch (NoSuchFileException e) {
      throw new NoDataException("no NFS client statistics (nfs module not loaded)", e);
    }
    double[] net = null;
    double[] rpc = null;
    // Sorted by method, then version, as node_exporter's registry prints them.
    Map<String, double[]> requests = new TreeMap<>();
    for (String line : content.lines().toList()) {
      String[] f = ProcFiles.fields(line);
      if (f.length == 0) {
        continue;
      }
      double[] v = values(f, line);
      switch (f[0]) {
        case "net" -> net = exactly(v, 4, line);
        case "rpc" -> rpc = exactly(v, 3, line);
        case "proc2" -> procedures(requests, "2", V2, counted(v, V2.length, false, line));
        case "proc3" -> procedures(requests, "3", V3, counted(v, V3.length, false, line));
        case "proc4" -> procedures(requests, "4", V4, counted(v, V4.length, true, line));
        default -> throw new IOException("unknown NFS statistics line in " + file + ": " + line);
      }
    }
    if (net == null || rpc == null) {
      throw new IOException("no net or rpc line in " + file);
    }
    out.add(Family.counter("node_nfs_packets_total",
            "Total NFSd network packets (sent+received) by protocol type.", "protocol")
        .add(net[2], "tcp").add(net[1], "udp").build());
    out.add(Family.counter("node_nfs_connections_total", "Total number of NFSd TCP connections.")
        .add(net[3]).build());
    out.add(Family.counter("node_nfs_rpcs_total", "Total number of RPCs performed.")
        .add(rpc[0]).build());
    out.add(Family.counter("node_nfs_rpc_retransmissions_total", "Number of RPC transmissions performed.")
        .add(rpc[1]).build());
    out.add(Family.counter("node_nfs_rpc_authentication_refreshes_total",
        "Number of RPC authentication refreshes performed.").add(rpc[2]).build());
    Family requestsTotal = Family.counter("node_nfs_requests_total", "Number of NFS procedures invoked.",
        "method", "proto");
    requests.forEach((key, value) -> requestsTotal.add(value[0], key.substring(0, key.indexOf(' ')),
        key.substring(key.indexOf(' ') + 1)));
    requestsTotal.addTo(out);
  }

  private double[] values(String[] f, String line) throws IOException {
    double[] v = new double[f.length - 1];
    try {
      for (int i = 1; i < f.length; i++) {
        v[i - 1] = ProcFiles.unsigned(f[i]);
      }
    } catch (NumberFormatException e) {
      throw new IOException("invalid value in " + file + ": " + line, e);
    }
    return v;
  }

  private double[] exactly(double[] v, int n, String line) throws IOException {
    if (v.length != n) {
      throw new IOException("expected " + n + " values in " + file + ": " + line);
    }
    return v;
  }

  /** The values after the leading count, checked against it and padded to {@code names}. */
  private double[] counted(double[] v, int names, boolean pad, String line) throws IOException {
    if (v.length == 0 || v[0] != v.length - 1 || (!pad && v.length - 1 < names)) {
      throw new IOException("invalid procedure count in " + file + ": " + line);
    }
    double[] padded = new double[Math.max(names, v.length - 1)];
    System.arraycopy(v, 1, padded, 0, v.length - 1);
    return padded;
  }

  private static void procedures(Map<String, double[]> requests, String proto, String[] names,
      double[] values) {
    for (int i = 0; i < names.length; i++) {
      requests.put(names[i] + " " + proto, new double[] {values[i]});
    }
  }
}
