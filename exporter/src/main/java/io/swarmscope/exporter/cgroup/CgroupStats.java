package io.swarmscope.exporter.cgroup;

import java.util.List;

/**
 * One reading of a cgroup's counters and limits, in base units. {@link #ABSENT} marks a value the
 * kernel does not offer for this cgroup (e.g. swap without swap accounting); it is not exported.
 *
 * @param cpuUsageNanos total CPU time
 * @param cpuUserNanos CPU time in user mode
 * @param cpuSystemNanos CPU time in kernel mode
 * @param cfsPeriods elapsed CFS enforcement periods
 * @param cfsThrottledPeriods periods in which the cgroup was throttled
 * @param cfsThrottledNanos total time throttled
 * @param memoryUsage memory usage including page cache
 * @param memoryWorkingSet usage minus inactive file pages (what the OOM killer weighs)
 * @param memoryRss anonymous memory
 * @param memoryCache page cache
 * @param memorySwap swap used
 * @param memoryFailcnt times the memory limit was hit
 * @param oomKills processes killed by the OOM killer in this cgroup
 * @param memoryLimit memory limit in bytes, 0 when unlimited
 * @param cpuQuotaMicros CFS quota per period, 0 when unlimited
 * @param cpuPeriodMicros CFS period
 * @param cpuShares CPU shares (cgroup v2 weight converted back, as cAdvisor does)
 * @param blockIo per-device I/O
 */
public record CgroupStats(long cpuUsageNanos, long cpuUserNanos, long cpuSystemNanos,
    long cfsPeriods, long cfsThrottledPeriods, long cfsThrottledNanos,
    long memoryUsage, long memoryWorkingSet, long memoryRss, long memoryCache, long memorySwap,
    long memoryFailcnt, long oomKills,
    long memoryLimit, long cpuQuotaMicros, long cpuPeriodMicros, long cpuShares,
    List<BlockIo> blockIo) {

  public static final long ABSENT = -1;

  public CgroupStats {
    blockIo = List.copyOf(blockIo);
  }

  /** Limits above this are "unlimited" (the kernel's page-rounded LONG_MAX), exported as 0 like cAdvisor. */
  static final long UNLIMITED = 1L << 62;

  static long limit(long bytes) {
    return bytes >= UNLIMITED ? 0 : bytes;
  }
}
