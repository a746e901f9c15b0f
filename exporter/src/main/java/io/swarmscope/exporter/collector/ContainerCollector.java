package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.common.docker.RunningContainer;
import io.swarmscope.exporter.cgroup.BlockDeviceNames;
import io.swarmscope.exporter.cgroup.BlockIo;
import io.swarmscope.exporter.cgroup.CgroupLocator;
import io.swarmscope.exporter.cgroup.CgroupPaths;
import io.swarmscope.exporter.cgroup.CgroupReader;
import io.swarmscope.exporter.cgroup.CgroupStats;
import io.swarmscope.exporter.cgroup.InterfaceCounters;
import io.swarmscope.exporter.cgroup.NetDevReader;
import io.swarmscope.exporter.cgroup.TaskStateCounter;
import io.swarmscope.exporter.docker.ContainerLabelPolicy;
import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cAdvisor-compatible {@code container_*} series for every running container on the node, plus the
 * machine as a whole ({@code id="/"}), so dashboards written for cAdvisor (Grafana 609, swarmprom)
 * work unchanged.
 *
 * <p>Which containers run, and who they are, comes from the {@link DockerView} cache; the numbers
 * come straight from cgroup files and from {@code <procfs>/<pid>/net/dev} of the container's init
 * process. No Docker call happens here. A container that stops while being read is skipped and
 * counted in {@code swarmscope_container_skipped_total{reason="vanished"}}.
 *
 * <p>The containers' files are read side by side on the {@link ScrapeWorkers} (each file read is
 * a few system calls, and there are a dozen per container); the series come out in inventory order.
 *
 * <p>Counters are read on every scrape; limits ({@code container_spec_*}) every 30 s, since they
 * change only on {@code docker update} and each file read costs several system calls.
 *
 * <p>Labels follow cAdvisor: {@code id} (the cgroup path), {@code name}, {@code image}, and
 * {@code container_label_<label>} for the labels a {@link ContainerLabelPolicy} allows.
 */
public final class ContainerCollector implements Collector {

  private static final Logger log = LoggerFactory.getLogger(ContainerCollector.class);

  private final HostPaths paths;
  private final DockerView docker;
  private final Clock clock;
  private final ContainerLabelPolicy policy;
  private final CgroupLocator locator;
  private final TaskStateCounter tasks;
  private final BlockDeviceNames devices;
  private final ScrapeWorkers workers;
  /** Per container id: where its cgroup is and its labels, found once per start of the container. */
  private final Map<String, Located> located = new HashMap<>();
  private long vanished;
  private long unreadable;
  /** Running containers whose files could not be read, logged once each. Scrape thread only. */
  private final Set<String> unreadableLogged = new HashSet<>();
  private boolean rootFailureLogged;

  /** How often a container's limits (memory limit, CPU quota/period/shares) are reread. */
  static final long LIMITS_REFRESH_MS = 30_000;

  /** A container's cgroup and labels, and its limits as last read. Scrape thread only. */
  private static final class Located {
    final RunningContainer container;
    final CgroupPaths cgroup;
    final Labels labels;
    final Labels cpuTotal;
    /** Labels with the state, interface or device added, made once, not on every scrape. */
    final Labels[] byState;
    final Map<String, Labels> byInterface = new HashMap<>();
    final Map<String, Labels> byDevice = new HashMap<>();
    CgroupStats limits;
    long limitsReadAtMillis;

    Located(RunningContainer container, CgroupPaths cgroup, Labels labels) {
      this.container = container;
      this.cgroup = cgroup;
      this.labels = labels;
      this.cpuTotal = labels.add("cpu", "total");
      this.byState = new Labels[TaskStateCounter.STATES.length];
      for (int i = 0; i < byState.length; i++) {
        byState[i] = labels.add("state", TaskStateCounter.STATES[i]);
      }
    }
  }

  public ContainerCollector(HostPaths paths, DockerView docker, Clock clock, ContainerLabelPolicy policy) {
    this(paths, docker, clock, policy, ScrapeWorkers.shared());
  }

  public ContainerCollector(HostPaths paths, DockerView docker, Clock clock, ContainerLabelPolicy policy,
      ScrapeWorkers workers) {
    this.workers = workers;
    this.paths = paths;
    this.docker = docker;
    this.clock = clock;
    this.policy = policy;
    this.locator = new CgroupLocator(paths);
    this.tasks = new TaskStateCounter(paths.procfs());
    this.devices = new BlockDeviceNames(paths.proc("diskstats"), clock);
  }

  /** The families of one scrape, built side by side as containers are read. */
  private static final class Families {
    final Family cpuUsage = Family.counter("container_cpu_usage_seconds_total",
        "Cumulative cpu time consumed in seconds.");
    final Family cpuUser = Family.counter("container_cpu_user_seconds_total",
        "Cumulative user cpu time consumed in seconds.");
    final Family cpuSystem = Family.counter("container_cpu_system_seconds_total",
        "Cumulative system cpu time consumed in seconds.");
    final Family cfsPeriods = Family.counter("container_cpu_cfs_periods_total",
        "Number of elapsed enforcement period intervals.");
    final Family cfsThrottledPeriods = Family.counter("container_cpu_cfs_throttled_periods_total",
        "Number of throttled period intervals.");
    final Family cfsThrottledSeconds = Family.counter("container_cpu_cfs_throttled_seconds_total",
        "Total time duration the container has been throttled.");
    final Family memUsage = Family.gauge("container_memory_usage_bytes",
        "Current memory usage in bytes, including all memory regardless of when it was accessed.");
    final Family memWorkingSet = Family.gauge("container_memory_working_set_bytes",
        "Current working set in bytes.");
    final Family memRss = Family.gauge("container_memory_rss", "Size of RSS in bytes.");
    final Family memCache = Family.gauge("container_memory_cache",
        "Number of bytes of page cache memory.");
    final Family memSwap = Family.gauge("container_memory_swap", "Container swap usage in bytes.");
    // cAdvisor types this a counter without _total, which client_java cannot write; a gauge keeps the name.
    final Family memFailcnt = Family.gauge("container_memory_failcnt",
        "Number of memory usage hits limits.");
    final Family oomEvents = Family.counter("container_oom_events_total",
        "Count of out of memory events observed for the container.");
    final Family specMemLimit = Family.gauge("container_spec_memory_limit_bytes",
        "Memory limit for the container.");
    final Family specCpuQuota = Family.gauge("container_spec_cpu_quota", "CPU quota of the container.");
    final Family specCpuPeriod = Family.gauge("container_spec_cpu_period", "CPU period of the container.");
    final Family specCpuShares = Family.gauge("container_spec_cpu_shares", "CPU share of the container.");
    final Family rxBytes = Family.counter("container_network_receive_bytes_total",
        "Cumulative count of bytes received.");
    final Family rxPackets = Family.counter("container_network_receive_packets_total",
        "Cumulative count of packets received.");
    final Family rxErrors = Family.counter("container_network_receive_errors_total",
        "Cumulative count of errors encountered while receiving.");
    final Family rxDropped = Family.counter("container_network_receive_packets_dropped_total",
        "Cumulative count of packets dropped while receiving.");
    final Family txBytes = Family.counter("container_network_transmit_bytes_total",
        "Cumulative count of bytes transmitted.");
    final Family txPackets = Family.counter("container_network_transmit_packets_total",
        "Cumulative count of packets transmitted.");
    final Family txErrors = Family.counter("container_network_transmit_errors_total",
        "Cumulative count of errors encountered while transmitting.");
    final Family txDropped = Family.counter("container_network_transmit_packets_dropped_total",
        "Cumulative count of packets dropped while transmitting.");
    final Family fsReadBytes = Family.counter("container_fs_reads_bytes_total",
        "Cumulative count of bytes read.");
    final Family fsWriteBytes = Family.counter("container_fs_writes_bytes_total",
        "Cumulative count of bytes written.");
    final Family fsReads = Family.counter("container_fs_reads_total",
        "Cumulative count of reads completed.");
    final Family fsWrites = Family.counter("container_fs_writes_total",
        "Cumulative count of writes completed.");
    final Family lastSeen = Family.gauge("container_last_seen",
        "Last time a container was seen by the exporter.");
    final Family startTime = Family.gauge("container_start_time_seconds",
        "Start time of the container since unix epoch in seconds.");
    final Family tasksState = Family.gauge("container_tasks_state", "Number of tasks in given state.");

    void addTo(List<MetricSnapshot> out) {
      for (Family f : List.of(cpuUsage, cpuUser, cpuSystem, cfsPeriods, cfsThrottledPeriods,
          cfsThrottledSeconds, memUsage, memWorkingSet, memRss, memCache, memSwap, memFailcnt,
          oomEvents, specMemLimit, specCpuQuota, specCpuPeriod, specCpuShares, rxBytes, rxPackets,
          rxErrors, rxDropped, txBytes, txPackets, txErrors, txDropped, fsReadBytes, fsWriteBytes,
          fsReads, fsWrites, lastSeen, startTime, tasksState)) {
        f.addTo(out);
      }
    }
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    Families f = new Families();
    long nowMillis = clock.millis();
    double now = nowMillis / 1000L;
    try {
      collectRoot(f, now);
    } catch (IOException e) {
      if (!rootFailureLogged) {
        log.warn("machine-level container series (id=\"/\") unavailable: {}", e.toString());
        rootFailureLogged = true;
      }
    }
    List<RunningContainer> running = docker.containers();
    Set<String> seen = new HashSet<>(running.size() * 2);
    List<Reading> readings = new ArrayList<>(running.size());
    for (RunningContainer c : running) {
      seen.add(c.id());
      try {
        Located l = locate(c);
        readings.add(new Reading(c, l,
            l.limits == null || nowMillis - l.limitsReadAtMillis >= LIMITS_REFRESH_MS));
      } catch (IOException | RuntimeException e) {
        skipped(c, e);
      }
    }
    // The kernel reads, side by side; the series are then added in inventory order.
    workers.forEachShare(readings, (from, to) -> {
      for (int i = from; i < to; i++) {
        readings.get(i).read(paths, tasks);
      }
    });
    // In label order, so that client_java's sort of each family's points finds them sorted.
    readings.sort(Comparator.comparing(r -> r.located.labels));
    for (Reading r : readings) {
      if (r.failure != null) {
        skipped(r.container, r.failure);
        continue;
      }
      Located l = r.located;
      if (r.readLimits) {
        l.limits = r.stats;
        l.limitsReadAtMillis = nowMillis;
      }
      emit(f, l, r.stats, l.limits);
      emitNetwork(f, l.byInterface, l.labels, r.net);
      Labels labels = l.labels;
      for (int i = 0; i < r.states.length; i++) {
        f.tasksState.add(r.states[i], l.byState[i]);
      }
      f.lastSeen.add(now, labels);
      if (r.container.startedAtMillis() > 0) {
        f.startTime.add(r.container.startedAtMillis() / 1000.0, labels);
      }
    }
    located.keySet().retainAll(seen);
    unreadableLogged.retainAll(seen);
    f.addTo(out);
    out.add(Family.counter("swarmscope_container_skipped_total",
            "Containers left out of a scrape: stopped while being read (vanished), or running with files that cannot be read (unreadable).", "reason")
        .add(unreadable, "unreadable")
        .add(vanished, "vanished").build());
  }

  /**
   * The container stopped between the inventory and the cgroup read: not an error. If its process
   * is still there, its files cannot be read (a cgroup layout we do not know, permissions): that is
   * an error, counted apart and logged once per container.
   */
  private void skipped(RunningContainer c, Exception e) {
    located.remove(c.id());
    if (c.pid() > 0 && Files.isDirectory(paths.proc(Integer.toString(c.pid())))) {
      unreadable++;
      if (unreadableLogged.add(c.id())) {
        log.warn("container {} ({}) runs as pid {} but its cgroup or network files cannot be read: {}; "
            + "its series are left out", c.identity().shortId(), c.identity().name(), c.pid(), e.toString());
      }
    } else {
      vanished++;
      log.debug("container {} vanished while read: {}", c.identity().shortId(), e.toString());
    }
  }

  /**
   * One container's kernel files for one scrape, read on a scrape worker. Touches nothing shared:
   * the readers are stateless, and the results are picked up after every share has finished.
   */
  private static final class Reading {
    final RunningContainer container;
    final Located located;
    final boolean readLimits;
    CgroupStats stats;
    List<InterfaceCounters> net;
    long[] states;
    Exception failure;

    Reading(RunningContainer container, Located located, boolean readLimits) {
      this.container = container;
      this.located = located;
      this.readLimits = readLimits;
    }

    void read(HostPaths paths, TaskStateCounter tasks) {
      try {
        stats = CgroupReader.forPaths(located.cgroup).read(located.cgroup, readLimits);
        net = NetDevReader.read(paths.proc(container.pid() + "/net/dev"));
        states = tasks.count(located.cgroup);
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
  }

  private void collectRoot(Families f, double now) throws IOException {
    CgroupPaths root = locator.root();
    CgroupStats s = CgroupReader.forPaths(root).read(root, false);
    if (s.memoryUsage() < 0) {
      s = withHostMemory(s);
    }
    Labels labels = Labels.of("id", "/");
    f.cpuUsage.add(s.cpuUsageNanos() / 1e9, labels.add("cpu", "total"));
    add(f.cpuUser, s.cpuUserNanos(), 1e-9, labels);
    add(f.cpuSystem, s.cpuSystemNanos(), 1e-9, labels);
    add(f.memUsage, s.memoryUsage(), 1, labels);
    add(f.memWorkingSet, s.memoryWorkingSet(), 1, labels);
    add(f.memRss, s.memoryRss(), 1, labels);
    add(f.memCache, s.memoryCache(), 1, labels);
    add(f.memSwap, s.memorySwap(), 1, labels);
    try {
      // Not cached: the host's veth interfaces come and go with containers.
      emitNetwork(f, new HashMap<>(), labels, NetDevReader.read(paths.proc("1/net/dev")));
    } catch (IOException e) {
      // A procfs without pid 1 (unusual mount): the machine's network is left out.
    }
    f.lastSeen.add(now, labels);
  }

  /**
   * cgroup v2's root has no memory.current: the machine's usage (total minus free) and working set
   * (usage minus inactive file pages) come from meminfo instead.
   */
  private CgroupStats withHostMemory(CgroupStats s) throws IOException {
    long total = -1;
    long free = -1;
    long inactiveFile = 0;
    for (String line : ProcFiles.lines(paths.proc("meminfo"))) {
      String[] f = ProcFiles.fields(line);
      if (f.length < 2) {
        continue;
      }
      switch (f[0]) {
        case "MemTotal:" -> total = Long.parseLong(f[1]) * 1024;
        case "MemFree:" -> free = Long.parseLong(f[1]) * 1024;
        case "Inactive(file):" -> inactiveFile = Long.parseLong(f[1]) * 1024;
        default -> { }
      }
    }
    if (total < 0 || free < 0) {
      return s;
    }
    long usage = total - free;
    return new CgroupStats(s.cpuUsageNanos(), s.cpuUserNanos(), s.cpuSystemNanos(), s.cfsPeriods(),
        s.cfsThrottledPeriods(), s.cfsThrottledNanos(), usage, Math.max(0, usage - inactiveFile),
        s.memoryRss(), s.memoryCache(), s.memorySwap(), s.memoryFailcnt(), s.oomKills(),
        s.memoryLimit(), s.cpuQuotaMicros(), s.cpuPeriodMicros(), s.cpuShares(), s.blockIo());
  }

  private Located locate(RunningContainer c) throws IOException {
    Located l = located.get(c.id());
    if (l != null && l.container.equals(c)) {
      return l;
    }
    CgroupPaths cgroup = locator.forPid(c.pid());
    l = new Located(c, cgroup, labels(c.identity(), cgroup.id()));
    located.put(c.id(), l);
    return l;
  }

  private Labels labels(ContainerIdentity id, String cgroupId) {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    names.add("id");
    values.add(cgroupId);
    names.add("name");
    values.add(id.name());
    names.add("image");
    values.add(id.image());
    for (String key : policy.keys()) {
      String v = id.label(key);
      if (!v.isEmpty()) {
        names.add(ContainerIdentity.promLabelName(key));
        values.add(v);
      }
    }
    return Labels.of(names, values);
  }

  private void emit(Families f, Located located, CgroupStats s, CgroupStats limits) {
    Labels labels = located.labels;
    f.cpuUsage.add(s.cpuUsageNanos() / 1e9, located.cpuTotal);
    add(f.cpuUser, s.cpuUserNanos(), 1e-9, labels);
    add(f.cpuSystem, s.cpuSystemNanos(), 1e-9, labels);
    add(f.cfsPeriods, s.cfsPeriods(), 1, labels);
    add(f.cfsThrottledPeriods, s.cfsThrottledPeriods(), 1, labels);
    add(f.cfsThrottledSeconds, s.cfsThrottledNanos(), 1e-9, labels);
    add(f.memUsage, s.memoryUsage(), 1, labels);
    add(f.memWorkingSet, s.memoryWorkingSet(), 1, labels);
    add(f.memRss, s.memoryRss(), 1, labels);
    add(f.memCache, s.memoryCache(), 1, labels);
    add(f.memSwap, s.memorySwap(), 1, labels);
    add(f.memFailcnt, s.memoryFailcnt(), 1, labels);
    add(f.oomEvents, s.oomKills(), 1, labels);
    add(f.specMemLimit, limits.memoryLimit(), 1, labels);
    if (limits.cpuQuotaMicros() > 0) {
      f.specCpuQuota.add(limits.cpuQuotaMicros(), labels);
    }
    add(f.specCpuPeriod, limits.cpuPeriodMicros(), 1, labels);
    add(f.specCpuShares, limits.cpuShares(), 1, labels);
    List<BlockIo> blockIo = new ArrayList<>(s.blockIo());
    blockIo.sort(Comparator.comparing(io -> devices.name(io.device())));
    for (BlockIo io : blockIo) {
      Labels dev = located.byDevice.computeIfAbsent(devices.name(io.device()), d -> labels.add("device", d));
      f.fsReadBytes.add(io.readBytes(), dev);
      f.fsWriteBytes.add(io.writeBytes(), dev);
      f.fsReads.add(io.reads(), dev);
      f.fsWrites.add(io.writes(), dev);
    }
  }

  private static void emitNetwork(Families f, Map<String, Labels> byInterface, Labels labels,
      List<InterfaceCounters> net) {
    List<InterfaceCounters> sorted = new ArrayList<>(net);
    sorted.sort(Comparator.comparing(InterfaceCounters::name));
    for (InterfaceCounters n : sorted) {
      Labels l = byInterface.computeIfAbsent(n.name(), name -> labels.add("interface", name));
      f.rxBytes.add(n.rxBytes(), l);
      f.rxPackets.add(n.rxPackets(), l);
      f.rxErrors.add(n.rxErrors(), l);
      f.rxDropped.add(n.rxDropped(), l);
      f.txBytes.add(n.txBytes(), l);
      f.txPackets.add(n.txPackets(), l);
      f.txErrors.add(n.txErrors(), l);
      f.txDropped.add(n.txDropped(), l);
    }
  }

  private static void add(Family f, long value, double scale, Labels labels) {
    if (value != CgroupStats.ABSENT) {
      f.add(value * scale, labels);
    }
  }
}
