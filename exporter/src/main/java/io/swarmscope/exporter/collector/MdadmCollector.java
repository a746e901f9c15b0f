package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code mdadm} collector: software RAID state from {@code /proc/mdstat}, read the
 * way node_exporter 1.5's procfs library reads it.
 *
 * <p>Each array is a device line ({@code md0 : active raid1 sda1[0] sdb1[1](F)}), a status line
 * ({@code 1234 blocks ... [2/1] [U_]}) and optionally a bitmap line and a sync line. Failed and
 * spare disks are the {@code (F)} and {@code (S)} marks on the device line; required and active
 * disks come from {@code [n/m]}, or for raid0 and linear arrays, which have none, from the number
 * of member disks. Inactive arrays report no required or active disks. A host without the md
 * driver has no file: no data.
 */
public final class MdadmCollector implements Collector {

  private static final Pattern STATUS_LINE = Pattern.compile("(\\d+) blocks .*\\[(\\d+)/(\\d+)\\] \\[[U_]+\\]");
  private static final Pattern RECOVERY_LINE = Pattern.compile("\\((\\d+)/\\d+\\)");

  /** One array as parsed; {@code state} is active, inactive, recovering, resync or check. */
  record Array(String name, String state, long active, long failed, long spare, long required,
      long blocks, long blocksSynced) {}

  private static final String[] STATES = {"active", "check", "inactive", "recovering", "resync"};

  private final Path file;

  public MdadmCollector(HostPaths paths) {
    this.file = paths.proc("mdstat");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    String content;
    try {
      content = ProcFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new NoDataException("mdstat file does not exist", e);
    }
    List<Array> arrays = parse(content, file);
    arrays.sort(Comparator.comparing(Array::name));
    Family state = Family.gauge("node_md_state", "Indicates the state of md-device.", "device", "state");
    Family disks = Family.gauge("node_md_disks", "Number of active/failed/spare disks of device.",
        "device", "state");
    Family required = Family.gauge("node_md_disks_required", "Total number of disks of device.", "device");
    Family blocks = Family.gauge("node_md_blocks", "Total number of blocks on device.", "device");
    Family synced = Family.gauge("node_md_blocks_synced", "Number of blocks synced on device.", "device");
    for (Array a : arrays) {
      for (String s : STATES) {
        state.add(s.equals(a.state()) ? 1 : 0, a.name(), s);
      }
      disks.add(a.active(), a.name(), "active");
      disks.add(a.failed(), a.name(), "failed");
      disks.add(a.spare(), a.name(), "spare");
      required.add(a.required(), a.name());
      blocks.add(a.blocks(), a.name());
      synced.add(a.blocksSynced(), a.name());
    }
    state.addTo(out);
    disks.addTo(out);
    required.addTo(out);
    blocks.addTo(out);
    synced.addTo(out);
  }

  static List<Array> parse(String content, Path file) throws IOException {
    List<String> lines = content.lines().toList();
    List<Array> arrays = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.charAt(0) == ' ' || line.charAt(0) == '\t'
          || line.startsWith("Personalities") || line.startsWith("unused")) {
        continue;
      }
      String[] device = ProcFiles.fields(line);
      if (device.length < 3) {
        throw new IOException("not enough fields in md line of " + file + ": " + line);
      }
      String name = device[0];
      if (i + 1 >= lines.size()) {
        throw new IOException("md device " + name + " in " + file + " has no status line");
      }
      String statusLine = lines.get(i + 1);
      long failed = count(line, "(F)");
      long spare = count(line, "(S)");
      long size;
      long active;
      long required;
      String[] status = ProcFiles.fields(statusLine);
      try {
        size = Long.parseLong(status.length > 0 ? status[0] : "");
      } catch (NumberFormatException e) {
        throw new IOException("unexpected status line for " + name + " in " + file + ": " + statusLine, e);
      }
      if (line.contains("raid0") || line.contains("linear")) {
        active = required = count(line, "[");
      } else if (line.contains("inactive")) {
        active = required = 0;
      } else {
        Matcher m = STATUS_LINE.matcher(statusLine);
        if (!m.find()) {
          throw new IOException("unexpected status line for " + name + " in " + file + ": " + statusLine);
        }
        required = Long.parseLong(m.group(2));
        active = Long.parseLong(m.group(3));
      }
      String state = device[2];
      long synced = size;
      int syncIndex = i + 2;
      if (syncIndex < lines.size() && lines.get(syncIndex).contains("bitmap")) {
        syncIndex++;
      }
      String syncLine = syncIndex < lines.size() ? lines.get(syncIndex) : "";
      boolean recovering = syncLine.contains("recovery");
      boolean resyncing = syncLine.contains("resync");
      boolean checking = syncLine.contains("check");
      if (recovering || resyncing || checking) {
        state = recovering ? "recovering" : checking ? "check" : "resync";
        if (syncLine.contains("PENDING") || syncLine.contains("DELAYED")) {
          synced = 0;
        } else {
          Matcher m = RECOVERY_LINE.matcher(syncLine);
          if (!m.find()) {
            throw new IOException("unexpected sync line for " + name + " in " + file + ": " + syncLine);
          }
          synced = Long.parseLong(m.group(1));
        }
      }
      arrays.add(new Array(name, state, active, failed, spare, required, size, synced));
    }
    return arrays;
  }

  private static long count(String s, String needle) {
    long n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
