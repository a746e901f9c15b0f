package io.swarmscope.exporter.cgroup;

import static io.swarmscope.exporter.cgroup.KernelText.keyValues;
import static io.swarmscope.exporter.cgroup.KernelText.readOptional;
import static io.swarmscope.exporter.cgroup.KernelText.readOptionalLong;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a cgroup v2 (unified) directory the way cAdvisor does: {@code cpu.stat},
 * {@code cpu.max}, {@code cpu.weight} (converted back to v1 shares), {@code memory.current},
 * {@code memory.stat}, {@code memory.swap.current}, {@code memory.events} and {@code io.stat}.
 * The root cgroup lacks the limit files and {@code memory.current}; those values come back
 * {@link CgroupStats#ABSENT}. Stateless and thread-safe.
 */
public final class CgroupV2Reader implements CgroupReader {

  static final CgroupV2Reader INSTANCE = new CgroupV2Reader();

  @Override
  public CgroupStats read(CgroupPaths p, boolean withLimits) throws IOException {
    Path dir = p.cpu();
    long[] cpu = keyValues(KernelText.read(dir.resolve("cpu.stat")), "usage_usec", "user_usec", "system_usec",
        "nr_periods", "nr_throttled", "throttled_usec");
    long quota = withLimits ? 0 : CgroupStats.ABSENT;
    long period = CgroupStats.ABSENT;
    String cpuMax = withLimits ? readOptional(dir.resolve("cpu.max")) : null;
    if (cpuMax != null) {
      String[] f = cpuMax.trim().split(" ");
      quota = f[0].equals("max") ? 0 : Long.parseLong(f[0]);
      period = f.length > 1 ? Long.parseLong(f[1]) : CgroupStats.ABSENT;
    }
    long weight = withLimits ? readOptionalLong(dir.resolve("cpu.weight")) : -1;
    // runc maps shares to weight as 1 + (shares - 2) * 9999 / 262142; cAdvisor inverts it.
    long shares = weight < 0 ? CgroupStats.ABSENT : 2 + (weight - 1) * 262142 / 9999;

    long usage = readOptionalLong(dir.resolve("memory.current"));
    long[] ms = keyValues(KernelText.read(dir.resolve("memory.stat")), "anon", "file", "inactive_file");
    long workingSet = usage < 0 ? CgroupStats.ABSENT
        : ms[2] < 0 ? usage : Math.max(0, usage - ms[2]);
    long swap = readOptionalLong(dir.resolve("memory.swap.current"));
    long max = withLimits ? readOptionalLong(dir.resolve("memory.max")) : -1;
    String events = readOptional(dir.resolve("memory.events"));
    long[] ev = events == null ? new long[] {-1, -1} : keyValues(events, "max", "oom_kill");

    return new CgroupStats(micros(cpu[0]), micros(cpu[1]), micros(cpu[2]),
        cpu[3], cpu[4], micros(cpu[5]),
        usage, workingSet, ms[0], ms[1], swap, ev[0], ev[1],
        max < 0 ? CgroupStats.ABSENT : CgroupStats.limit(max), quota, period, shares,
        blockIo(readOptional(dir.resolve("io.stat"))));
  }

  private static long micros(long v) {
    return v < 0 ? v : v * 1000;
  }

  /** Lines like {@code 8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0}. */
  static List<BlockIo> blockIo(String text) {
    List<BlockIo> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 2) {
        continue;
      }
      long rb = 0;
      long wb = 0;
      long ri = 0;
      long wi = 0;
      for (int i = 1; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        if (eq < 0) {
          continue;
        }
        long v = Long.parseLong(f[i].substring(eq + 1));
        switch (f[i].substring(0, eq)) {
          case "rbytes" -> rb = v;
          case "wbytes" -> wb = v;
          case "rios" -> ri = v;
          case "wios" -> wi = v;
          default -> { }
        }
      }
      out.add(new BlockIo(f[0], rb, wb, ri, wi));
    }
    return out;
  }
}
