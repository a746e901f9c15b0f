package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostNetFiles;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code node_sockstat_*} from the host namespace's {@code net/sockstat} and, when IPv6 is
 * enabled, {@code net/sockstat6} (see {@link HostNetFiles}): {@code sockets_used} and, per protocol,
 * {@code <PROTO>_{inuse,orphan,tw,alloc,mem,memory}} as node_exporter 1.5 names them, plus
 * {@code <PROTO>_mem_bytes}, the {@code mem} page count times the page size.
 *
 * <p>Called by one scrape at a time.
 */
public final class SockstatCollector implements Collector {

  /** The per-protocol keys node_exporter exports, in its order; others are ignored. */
  private static final String[] KEYS = {"inuse", "orphan", "tw", "alloc", "mem", "memory"};

  private final HostNetFiles net;
  private final long pageSize;

  /** @param pageSize the kernel page size in bytes, for the {@code _mem_bytes} series */
  public SockstatCollector(HostPaths paths, long pageSize) {
    this.net = new HostNetFiles(paths);
    this.pageSize = pageSize;
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String ipv4 = net.read("sockstat");
    Optional<String> ipv6 = net.readIfPresent("sockstat6");
    parse(ipv4, "sockstat", out);
    if (ipv6.isPresent()) {
      parse(ipv6.get(), "sockstat6", out);
    }
  }

  /** Lines like {@code TCP: inuse 4 orphan 0 tw 90 alloc 7 mem 177}; a malformed one fails the scrape. */
  private void parse(String content, String source, List<MetricSnapshot> out) throws IOException {
    for (String line : content.split("\n")) {
      String[] f = ProcFiles.fields(line);
      if (f.length == 0) {
        continue;
      }
      if (f.length < 3 || f.length % 2 == 0 || !f[0].endsWith(":")) {
        throw new IOException("malformed line in " + source + ": \"" + line + "\"");
      }
      String protocol = f[0].substring(0, f[0].length() - 1);
      long[] values = new long[KEYS.length];
      boolean[] present = new boolean[KEYS.length];
      long used = 0;
      try {
        for (int i = 1; i < f.length; i += 2) {
          long v = Long.parseLong(f[i + 1]);
          if (f[i].equals("used")) {
            used = v;
          }
          for (int k = 0; k < KEYS.length; k++) {
            if (KEYS[k].equals(f[i])) {
              values[k] = v;
              present[k] = true;
            }
          }
        }
      } catch (NumberFormatException e) {
        throw new IOException("malformed line in " + source + ": \"" + line + "\"", e);
      }
      if (protocol.equals("sockets")) {
        if (source.equals("sockstat")) {
          out.add(gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", used));
        }
        continue;
      }
      // inuse is always exported (0 when absent), the others only when the kernel prints them.
      present[0] = true;
      for (int k = 0; k < KEYS.length; k++) {
        if (present[k]) {
          out.add(protocolGauge(protocol, KEYS[k], values[k]));
        }
      }
      if (present[4]) {
        out.add(protocolGauge(protocol, "mem_bytes", values[4] * pageSize));
      }
    }
  }

  private static MetricSnapshot protocolGauge(String protocol, String key, double value) {
    return gauge("node_sockstat_" + protocol + "_" + key,
        "Number of " + protocol + " sockets in state " + key + ".", value);
  }

  private static MetricSnapshot gauge(String name, String help, double value) {
    return Family.gauge(name, help).add(value).build();
  }
}
