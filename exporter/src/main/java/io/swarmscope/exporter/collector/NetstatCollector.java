package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostNetFiles;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code node_netstat_<Protocol>_<Field>} (untyped, as in node_exporter) from the host
 * namespace's {@code net/netstat}, {@code net/snmp} and, when IPv6 is enabled, {@code net/snmp6}
 * (see {@link HostNetFiles}). Only fields matching {@code collector.netstat.fields} are exported;
 * the default is node_exporter 1.5's.
 *
 * <p>Called by one scrape at a time.
 */
public final class NetstatCollector implements Collector {

  /** node_exporter 1.5's default {@code --collector.netstat.fields}. */
  public static final String DEFAULT_FIELDS = "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)"
      + "|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)"
      + "|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
      + "|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

  /** Receives one (protocol, field, value) entry of a statistics file. */
  @FunctionalInterface
  private interface Entries {
    void accept(String protocol, String field, String value) throws IOException;
  }

  private final HostNetFiles net;
  private final Pattern fields;
  /**
   * Whether a {@code Protocol_Field} key is exported, remembered across scrapes: the kernel prints
   * the same few hundred keys every time, and matching the regex against each was most of the cost.
   */
  private final Map<String, Boolean> selected = new HashMap<>();

  public NetstatCollector(CollectorContext context) {
    this(context.paths(), context.option("collector.netstat.fields", DEFAULT_FIELDS));
  }

  NetstatCollector(HostPaths paths, String fieldsRegex) {
    this.net = new HostNetFiles(paths);
    this.fields = Pattern.compile(fieldsRegex);
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String netstat = net.read("netstat");
    String snmp = net.read("snmp");
    Optional<String> snmp6 = net.readIfPresent("snmp6");

    // node_exporter merges the files with later ones winning; reading them in reverse order and
    // keeping the first occurrence gives the same result without a map of values.
    Set<String> seen = new HashSet<>();
    Entries export = (protocol, field, value) -> {
      String key = protocol + "_" + field;
      if (!selected.computeIfAbsent(key, k -> fields.matcher(k).find()) || !seen.add(key)) {
        return;
      }
      double v;
      try {
        v = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IOException("invalid value " + value + " in netstats for " + key, e);
      }
      out.add(Family.untyped("node_netstat_" + key, "Statistic " + protocol + field + ".").add(v).build());
    };
    if (snmp6.isPresent()) {
      parseSnmp6(snmp6.get(), export);
    }
    parseHeaderValuePairs(snmp, "snmp", export);
    parseHeaderValuePairs(netstat, "netstat", export);
  }

  /**
   * The format of {@code net/netstat} and {@code net/snmp}: pairs of lines, a header naming the
   * fields and a line of values, both prefixed by the protocol ({@code "Tcp: ActiveOpens ..."}).
   */
  private static void parseHeaderValuePairs(String content, String source, Entries out) throws IOException {
    String[] lines = content.split("\n");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      String[] names = ProcFiles.fields(lines[i]);
      String[] values = ProcFiles.fields(lines[i + 1]);
      if (names.length == 0 || !names[0].endsWith(":") || !names[0].equals(values.length > 0 ? values[0] : "")) {
        throw new IOException("malformed header/value pair in " + source + ": \"" + lines[i] + "\"");
      }
      String protocol = names[0].substring(0, names[0].length() - 1);
      if (names.length != values.length) {
        throw new IOException("field count mismatch in " + source + ": " + protocol);
      }
      for (int k = 1; k < names.length; k++) {
        out.accept(protocol, names[k], values[k]);
      }
    }
  }

  /**
   * The format of {@code net/snmp6}: one {@code Ip6InReceives  1} per line; the protocol is the
   * name up to and including the first "6". Lines without a "6" are skipped, as node_exporter does.
   */
  private static void parseSnmp6(String content, Entries out) throws IOException {
    for (String line : content.split("\n")) {
      String[] f = ProcFiles.fields(line);
      if (f.length < 2) {
        continue;
      }
      int six = f[0].indexOf('6');
      if (six >= 0) {
        out.accept(f[0].substring(0, six + 1), f[0].substring(six + 1), f[1]);
      }
    }
  }
}
