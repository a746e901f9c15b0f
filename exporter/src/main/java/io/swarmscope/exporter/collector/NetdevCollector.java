package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostNetFiles;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code node_network_{receive,transmit}_*_total{device}} for the host's network interfaces, from
 * the host namespace's {@code net/dev} (see {@link HostNetFiles}).
 *
 * <p>node_exporter 1.5 reads these over netlink and folds the detailed error counters back into
 * {@code /proc/net/dev}'s columns, so the two sources give the same names and values; netlink adds
 * {@code receive_nohandler}, which this collector takes from
 * {@code <sysfs>/class/net/<device>/statistics/rx_nohandler} (sysfs must be the host's, as for
 * node_exporter's netclass collector). Those files stay open between scrapes and are re-read in
 * place, one system call per device, because opening one per device per scrape would cost more than
 * the rest of the collector on a host with many veth interfaces.
 *
 * <p>Options: {@code collector.netdev.device-exclude} or {@code collector.netdev.device-include}
 * (no default, as upstream). Called by one scrape at a time.
 */
public final class NetdevCollector implements Collector {

  /** /proc/net/dev's columns after "name:", named as node_exporter names them. */
  private static final String[] COLUMNS = {
      "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo",
      "receive_frame", "receive_compressed", "receive_multicast",
      "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop", "transmit_fifo",
      "transmit_colls", "transmit_carrier", "transmit_compressed",
  };
  private static final String NOHANDLER = "receive_nohandler";

  private final HostNetFiles net;
  private final Path sysClassNet;
  private final DeviceFilter filter;
  /** Open rx_nohandler files by device; empty for devices without one (old kernels, foreign sysfs). */
  private final Map<String, Optional<FileChannel>> nohandlerFiles = new HashMap<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(32);

  public NetdevCollector(CollectorContext context) {
    this(context.paths(), DeviceFilter.fromOptions(context, "netdev", ""));
  }

  NetdevCollector(HostPaths paths, DeviceFilter filter) {
    this.net = new HostNetFiles(paths);
    this.sysClassNet = paths.sys("class/net");
    this.filter = filter;
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String content = net.read("dev");
    Family[] columns = new Family[COLUMNS.length];
    for (int i = 0; i < COLUMNS.length; i++) {
      columns[i] = family(COLUMNS[i]);
    }
    Family nohandler = family(NOHANDLER);

    Set<String> seen = new HashSet<>();
    String[] lines = content.split("\n");
    // Two header lines ("Inter-|   Receive ...", " face |bytes ..."), then one line per device.
    for (int l = 2; l < lines.length; l++) {
      String line = lines[l];
      int colon = line.lastIndexOf(':');
      String device = colon < 0 ? "" : line.substring(0, colon).trim();
      String[] f = ProcFiles.fields(line.substring(colon + 1));
      if (device.isEmpty() || f.length != COLUMNS.length) {
        if (line.isBlank()) {
          continue;
        }
        throw new IOException("malformed line in net/dev: \"" + line + "\"");
      }
      if (filter.ignored(device)) {
        continue;
      }
      try {
        for (int i = 0; i < COLUMNS.length; i++) {
          columns[i].add(ProcFiles.unsigned(f[i]), device);
        }
      } catch (NumberFormatException e) {
        throw new IOException("malformed line in net/dev: \"" + line + "\"", e);
      }
      seen.add(device);
      addNohandler(nohandler, device);
    }
    closeVanished(seen);
    for (Family c : columns) {
      c.addTo(out);
    }
    nohandler.addTo(out);
  }

  private void addNohandler(Family nohandler, String device) {
    Optional<FileChannel> file = nohandlerFiles.computeIfAbsent(device, this::openNohandler);
    if (file.isEmpty()) {
      // Kernels before 4.6, or a device sysfs does not show: the series is left out.
      return;
    }
    try {
      readBuffer.clear();
      // Reading sysfs at offset 0 makes the kernel print the current value again.
      int n = file.get().read(readBuffer, 0);
      nohandler.add(ProcFiles.unsigned(new String(readBuffer.array(), 0, Math.max(n, 0),
          StandardCharsets.US_ASCII).trim()), device);
    } catch (IOException | NumberFormatException e) {
      // The device was re-created under the same name: open its new file next scrape.
      close(nohandlerFiles.remove(device));
    }
  }

  private Optional<FileChannel> openNohandler(String device) {
    try {
      return Optional.of(FileChannel.open(sysClassNet.resolve(device).resolve("statistics/rx_nohandler")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void closeVanished(Set<String> seen) {
    var it = nohandlerFiles.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (!seen.contains(e.getKey())) {
        close(e.getValue());
        it.remove();
      }
    }
  }

  private static void close(Optional<FileChannel> file) {
    if (file != null && file.isPresent()) {
      try {
        file.get().close();
      } catch (IOException e) {
        // Nothing to do: the descriptor is released either way.
      }
    }
  }

  private static Family family(String column) {
    return Family.counter("node_network_" + column + "_total", "Network device statistic " + column + ".",
        "device");
  }
}
