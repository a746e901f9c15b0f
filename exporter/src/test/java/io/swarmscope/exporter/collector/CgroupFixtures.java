package io.swarmscope.exporter.collector;

/**
 * Test helper: writes the cgroup and proc files a container and the machine have, for cgroup v1
 * (separate or joined controller mounts) and v2, with distinct values so that mix-ups show.
 * {@code k} scales a container's values so that two containers differ.
 */
final class CgroupFixtures {

  static final String NET_DEV_HEADER = """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
      """;

  private CgroupFixtures() {}

  /** Files outside any container: diskstats, the host's network, meminfo. */
  static void host(FixtureTree t) {
    t.file("proc/diskstats", "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n 253       1 dm-1 1 2 3 4 5 6 7 8 9 10 11\n");
    t.file("proc/1/net/dev", NET_DEV_HEADER
        + "    lo:  999 9 0 0 0 0 0 0  999 9 0 0 0 0 0 0\n"
        + "  ens3: 5000000 4000 1 2 0 0 0 0 3000000 2000 3 4 0 0 0 0\n");
    t.file("proc/meminfo", "MemTotal:       2048000 kB\nMemFree:         1024000 kB\nInactive(file):   100000 kB\n");
  }

  /** A process's network namespace and its one thread's state. */
  static void process(FixtureTree t, int pid, int k, String cgroupFile) {
    t.file("proc/" + pid + "/cgroup", cgroupFile);
    t.file("proc/" + pid + "/net/dev", NET_DEV_HEADER
        + "    lo:  77 7 0 0 0 0 0 0  77 7 0 0 0 0 0 0\n"
        + "  eth0:" + (1000 * k + 1) + " " + (10 * k + 2) + " 3 4 0 0 0 0 " + (2000 * k + 5) + " "
        + (20 * k + 6) + " 7 8 0 0 0 0\n");
    t.file("proc/" + pid + "/stat", pid + " (sleep) S 0 1 1 0 -1 4194560\n");
    t.file("proc/" + (pid + 1) + "/stat", (pid + 1) + " (java worker) R 0 1 1 0 -1 4194560\n");
  }

  /** The v1 root cgroup and {@code cgroupPath} under controller mounts named {@code cpuMount} etc. */
  static void v1(FixtureTree t, String cpuMount, String cpuacctMount, String cgroupPath, int pid, int k) {
    v1Dir(t, cpuMount, cpuacctMount, "", 900_000_000_000L, 1 << 30, false);
    v1Dir(t, cpuMount, cpuacctMount, cgroupPath, 1_500_000_000L * k, 50_000_000L * k, true);
    t.file("sys/fs/cgroup/" + cpuMount + cgroupPath + "/tasks", pid + "\n" + (pid + 1) + "\n");
  }

  private static void v1Dir(FixtureTree t, String cpuMount, String cpuacctMount, String path,
      long usageNs, long memUsage, boolean limited) {
    String cpu = "sys/fs/cgroup/" + cpuMount + path + "/";
    String acct = "sys/fs/cgroup/" + cpuacctMount + path + "/";
    String mem = "sys/fs/cgroup/memory" + path + "/";
    String blkio = "sys/fs/cgroup/blkio" + path + "/";
    t.file(acct + "cpuacct.usage", usageNs + "\n");
    t.file(acct + "cpuacct.stat", "user " + usageNs / 20_000_000 + "\nsystem " + usageNs / 40_000_000 + "\n");
    t.file(cpu + "cpu.stat", "nr_periods 410\nnr_throttled 37\nthrottled_time 2500000000\nnr_bursts 0\n");
    t.file(cpu + "cpu.cfs_quota_us", limited ? "50000\n" : "-1\n");
    t.file(cpu + "cpu.cfs_period_us", "100000\n");
    t.file(cpu + "cpu.shares", limited ? "512\n" : "1024\n");
    t.file(mem + "memory.usage_in_bytes", memUsage + "\n");
    t.file(mem + "memory.limit_in_bytes", limited ? "268435456\n" : "9223372036854771712\n");
    t.file(mem + "memory.failcnt", limited ? "3\n" : "0\n");
    t.file(mem + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill " + (limited ? 2 : 0) + "\n");
    t.file(mem + "memory.stat", "cache 11\nrss 22\ninactive_file 33\n"
        + "total_cache " + memUsage / 4 + "\ntotal_rss " + memUsage / 2 + "\ntotal_swap 4096\n"
        + "total_inactive_file " + memUsage / 8 + "\n");
    t.file(blkio + "blkio.throttle.io_service_bytes_recursive",
        "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\nTotal 12288\n");
    t.file(blkio + "blkio.throttle.io_serviced_recursive",
        "8:0 Read 1\n8:0 Write 2\n8:0 Total 3\nTotal 3\n");
  }

  /** The v2 root cgroup (no limits, no memory.current) and {@code cgroupPath} under it. */
  static void v2(FixtureTree t, String cgroupPath, int pid, int k) {
    String root = "sys/fs/cgroup/";
    t.file(root + "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    t.file(root + "cpu.stat", "usage_usec 900000000\nuser_usec 600000000\nsystem_usec 300000000\n");
    t.file(root + "memory.stat", "anon 500000000\nfile 300000000\ninactive_file 100000000\n");
    t.file(root + "io.stat", "");
    String d = root + cgroupPath.substring(1) + "/";
    t.file(d + "cpu.stat", "usage_usec " + 1_500_000L * k + "\nuser_usec " + 1_000_000L * k
        + "\nsystem_usec " + 500_000L * k
        + "\nnr_periods 410\nnr_throttled 37\nthrottled_usec 2500000\n");
    t.file(d + "cpu.max", "50000 100000\n");
    t.file(d + "cpu.weight", "20\n");
    t.file(d + "memory.current", 50_000_000L * k + "\n");
    t.file(d + "memory.max", "max\n");
    t.file(d + "memory.swap.current", "8192\n");
    t.file(d + "memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n");
    t.file(d + "memory.stat", "anon " + 30_000_000L * k + "\nfile " + 15_000_000L * k
        + "\ninactive_file " + 5_000_000L * k + "\n");
    t.file(d + "io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n"
        + "253:1 rbytes=100 wbytes=200 rios=3 wios=4 dbytes=0 dios=0\n");
    t.file(d + "cgroup.threads", pid + "\n" + (pid + 1) + "\n");
  }
}
