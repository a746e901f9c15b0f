package io.swarmscope.exporter.cgroup;

import static io.swarmscope.exporter.cgroup.KernelText.firstPresent;
import static io.swarmscope.exporter.cgroup.KernelText.keyValues;
import static io.swarmscope.exporter.cgroup.KernelText.readLong;
import static io.swarmscope.exporter.cgroup.KernelText.readOptional;
import static io.swarmscope.exporter.cgroup.KernelText.readOptionalLong;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads cgroup v1 controllers the way cAdvisor (via runc's libcontainer) does: {@code cpuacct}
 * usage and user/system split, {@code cpu} CFS statistics and limits, {@code memory} usage,
 * {@code memory.stat} (hierarchical {@code total_*} values) and {@code blkio} throttle counters.
 * Stateless and thread-safe.
 */
public final class CgroupV1Reader implements CgroupReader {

  static final CgroupV1Reader INSTANCE = new CgroupV1Reader();

  /** cpuacct.stat counts USER_HZ ticks, which Linux fixes at 100 per second for user space. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  @Override
  public CgroupStats read(CgroupPaths p, boolean withLimits) throws IOException {
    long usage = readLong(p.cpuacct().resolve("cpuacct.usage"));
    long[] ticks = keyValues(KernelText.read(p.cpuacct().resolve("cpuacct.stat")), "user", "system");
    String cpuStat = readOptional(p.cpu().resolve("cpu.stat"));
    long[] cfs = cpuStat == null ? new long[] {-1, -1, -1}
        : keyValues(cpuStat, "nr_periods", "nr_throttled", "throttled_time");
    long quota = withLimits ? readOptionalLong(p.cpu().resolve("cpu.cfs_quota_us")) : -1;
    long period = withLimits ? readOptionalLong(p.cpu().resolve("cpu.cfs_period_us")) : -1;
    long shares = withLimits ? readOptionalLong(p.cpu().resolve("cpu.shares")) : -1;

    Path mem = p.memory();
    long memUsage = readLong(mem.resolve("memory.usage_in_bytes"));
    long[] ms = keyValues(KernelText.read(mem.resolve("memory.stat")),
        "total_rss", "total_cache", "total_swap", "total_inactive_file",
        "rss", "cache", "swap", "inactive_file");
    long inactiveFile = firstPresent(ms[3], ms[7]);
    long workingSet = inactiveFile < 0 ? memUsage : Math.max(0, memUsage - inactiveFile);
    long limit = withLimits ? readOptionalLong(mem.resolve("memory.limit_in_bytes")) : -1;
    long failcnt = readOptionalLong(mem.resolve("memory.failcnt"));
    String oomControl = readOptional(mem.resolve("memory.oom_control"));
    long oomKills = oomControl == null ? -1 : keyValues(oomControl, "oom_kill")[0];

    return new CgroupStats(usage,
        ticks[0] < 0 ? -1 : ticks[0] * NANOS_PER_TICK,
        ticks[1] < 0 ? -1 : ticks[1] * NANOS_PER_TICK,
        cfs[0], cfs[1], cfs[2],
        memUsage, workingSet, firstPresent(ms[0], ms[4]), firstPresent(ms[1], ms[5]),
        firstPresent(ms[2], ms[6]), failcnt, oomKills,
        limit < 0 ? -1 : CgroupStats.limit(limit),
        !withLimits ? -1 : quota > 0 ? quota : 0, period, shares,
        blockIo(p.blkio()));
  }

  /**
   * Per-device bytes and operations from the throttle files, which count I/O whatever the
   * scheduler; the recursive variants include nested cgroups (Docker-in-Docker).
   */
  static List<BlockIo> blockIo(Path blkio) throws IOException {
    String bytes = readOptional(blkio.resolve("blkio.throttle.io_service_bytes_recursive"));
    String ops;
    if (bytes != null) {
      ops = readOptional(blkio.resolve("blkio.throttle.io_serviced_recursive"));
    } else {
      bytes = readOptional(blkio.resolve("blkio.throttle.io_service_bytes"));
      ops = readOptional(blkio.resolve("blkio.throttle.io_serviced"));
    }
    Map<String, long[]> byDevice = new LinkedHashMap<>();
    addReadWrite(bytes, byDevice, 0);
    addReadWrite(ops, byDevice, 2);
    List<BlockIo> out = new ArrayList<>(byDevice.size());
    byDevice.forEach((dev, v) -> out.add(new BlockIo(dev, v[0], v[1], v[2], v[3])));
    return out;
  }

  /** Lines like {@code 8:0 Read 4096}; the {@code Total} lines carry no device and are skipped. */
  private static void addReadWrite(String text, Map<String, long[]> byDevice, int offset) {
    if (text == null) {
      return;
    }
    for (String line : text.split("\n")) {
      int a = line.indexOf(' ');
      int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
      if (b < 0) {
        continue;
      }
      String op = line.substring(a + 1, b);
      int slot = op.equals("Read") ? 0 : op.equals("Write") ? 1 : -1;
      if (slot < 0) {
        continue;
      }
      long[] v = byDevice.computeIfAbsent(line.substring(0, a), d -> new long[4]);
      v[offset + slot] += Long.parseLong(line.substring(b + 1).trim());
    }
  }
}
