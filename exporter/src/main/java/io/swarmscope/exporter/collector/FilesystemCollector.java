package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import io.swarmscope.exporter.host.StatFs;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code node_filesystem_*} for every mounted filesystem of the host: sizes and inode counts from
 * statfs(2), read-only status from the mount options, as node_exporter 1.5 reports them.
 *
 * <p>Mounts come from {@code <procfs>/1/mounts} (the host's mount namespace when procfs is the
 * host's), or {@code <procfs>/mounts} when PID 1 is hidden. Mount points are labelled as the host
 * sees them and stat'ed under {@code --path.rootfs}.
 *
 * <p>A statfs that does not answer within {@code collector.filesystem.mount-timeout} (default 5s,
 * like node_exporter) marks the mount {@code device_error 1}; until that call returns, later
 * scrapes report the mount failed at once instead of waiting again, so a dead NFS server costs one
 * timeout, not one per scrape. The calls run on daemon threads, one per mount at most.
 *
 * <p>Options: {@code collector.filesystem.mount-points-exclude}, {@code .fs-types-exclude}
 * (regexes matched anywhere, defaults below), {@code .mount-timeout} ({@code 500ms}, {@code 5s}, ...).
 * Called by one scrape at a time.
 */
public final class FilesystemCollector implements Collector {

  /** node_exporter 1.5's {@code defMountPointsExcluded}. */
  public static final String DEFAULT_MOUNT_POINTS_EXCLUDE =
      "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";

  /** node_exporter 1.5's {@code defFSTypesExcluded}. */
  public static final String DEFAULT_FS_TYPES_EXCLUDE =
      "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660"
          + "|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs"
          + "|tracefs)$";

  public static final Duration DEFAULT_MOUNT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(FilesystemCollector.class);
  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final String[] LABELS = {"device", "mountpoint", "fstype"};

  private record Mount(String device, String mountPoint, String fsType, boolean readOnly) {}

  private final HostPaths paths;
  private final StatFs statFs;
  private final Pattern mountPointsExclude;
  private final Pattern fsTypesExclude;
  private final long timeoutNanos;
  private final ExecutorService statThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "filesystem-statfs");
    t.setDaemon(true);
    return t;
  });
  /** Mount points whose statfs timed out, with the call still running. */
  private final Map<String, Future<StatFs.Result>> stuck = new HashMap<>();

  public FilesystemCollector(CollectorContext context) {
    this(context.paths(), context.statFs(),
        context.option("collector.filesystem.mount-points-exclude", DEFAULT_MOUNT_POINTS_EXCLUDE),
        context.option("collector.filesystem.fs-types-exclude", DEFAULT_FS_TYPES_EXCLUDE),
        parseDuration(context.option("collector.filesystem.mount-timeout", "5s")));
  }

  FilesystemCollector(HostPaths paths, StatFs statFs, String mountPointsExclude,
      String fsTypesExclude, Duration mountTimeout) {
    this.paths = paths;
    this.statFs = statFs;
    this.mountPointsExclude = Pattern.compile(mountPointsExclude);
    this.fsTypesExclude = Pattern.compile(fsTypesExclude);
    this.timeoutNanos = mountTimeout.toNanos();
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException, InterruptedException {
    List<Mount> mounts = selectedMounts(readMounts());
    // A stuck mount that was unmounted since is forgotten (its call may still be blocked).
    stuck.keySet().removeIf(mp -> mounts.stream().noneMatch(m -> m.mountPoint().equals(mp)));

    // Start every statfs before waiting on any, so that several hung mounts share one timeout.
    List<Future<StatFs.Result>> calls = new ArrayList<>(mounts.size());
    for (Mount m : mounts) {
      Future<StatFs.Result> pending = stuck.get(m.mountPoint());
      if (pending != null && !pending.isDone()) {
        calls.add(null);
        continue;
      }
      stuck.remove(m.mountPoint());
      Path target = paths.rootedMountPoint(m.mountPoint());
      calls.add(statThreads.submit(() -> statFs.stat(target)));
    }

    Family size = Family.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", LABELS);
    Family free = Family.gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", LABELS);
    Family avail = Family.gauge("node_filesystem_avail_bytes",
        "Filesystem space available to non-root users in bytes.", LABELS);
    Family files = Family.gauge("node_filesystem_files", "Filesystem total file nodes.", LABELS);
    Family filesFree = Family.gauge("node_filesystem_files_free",
        "Filesystem total free file nodes.", LABELS);
    Family readOnly = Family.gauge("node_filesystem_readonly", "Filesystem read-only status.", LABELS);
    Family deviceError = Family.gauge("node_filesystem_device_error",
        "Whether an error occurred while getting statistics for the given device.", LABELS);

    long deadline = System.nanoTime() + timeoutNanos;
    for (int i = 0; i < mounts.size(); i++) {
      Mount m = mounts.get(i);
      StatFs.Result r = await(m, calls.get(i), deadline);
      String[] labels = {m.device(), m.mountPoint(), m.fsType()};
      deviceError.add(r == null ? 1 : 0, labels);
      readOnly.add(m.readOnly() ? 1 : 0, labels);
      if (r == null) {
        continue;
      }
      double blockSize = r.blockSize();
      size.add(r.blocks() * blockSize, labels);
      free.add(r.blocksFree() * blockSize, labels);
      avail.add(r.blocksAvailable() * blockSize, labels);
      files.add(r.files(), labels);
      filesFree.add(r.filesFree(), labels);
    }
    for (Family f : new Family[] {size, free, avail, files, filesFree, readOnly, deviceError}) {
      f.addTo(out);
    }
  }

  /** The statfs result, or null when it failed, timed out, or is still stuck from before. */
  private StatFs.Result await(Mount m, Future<StatFs.Result> call, long deadline)
      throws InterruptedException {
    if (call == null) {
      return null;
    }
    try {
      return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn("statfs of {} did not answer in time; reporting it failed until it does", m.mountPoint());
      stuck.put(m.mountPoint(), call);
    } catch (ExecutionException e) {
      log.debug("statfs of {} failed: {}", m.mountPoint(), e.getCause().toString());
    }
    return null;
  }

  private String readMounts() throws IOException {
    try {
      return ProcFiles.read(paths.proc("1/mounts"));
    } catch (NoSuchFileException | AccessDeniedException e) {
      // PID 1 is hidden (hidepid): fall back to our own mount namespace, as node_exporter does.
      return ProcFiles.read(paths.proc("mounts"));
    }
  }

  /** Parses the mounts file, dropping excluded mounts and repeats of the same series. */
  private List<Mount> selectedMounts(String content) throws IOException {
    List<Mount> mounts = new ArrayList<>();
    Set<List<String>> seen = new HashSet<>();
    for (String line : content.split("\n")) {
      String[] f = ProcFiles.fields(line);
      if (f.length == 0) {
        continue;
      }
      if (f.length < 4) {
        throw new IOException("malformed mount point information: \"" + line + "\"");
      }
      String mountPoint = paths.hostMountPoint(unescape(f[1]));
      if (mountPointsExclude.matcher(mountPoint).find() || fsTypesExclude.matcher(f[2]).find()) {
        continue;
      }
      // Bind mounts and over-mounts repeat a series; the first one wins, as in node_exporter.
      if (seen.add(List.of(f[0], mountPoint, f[2]))) {
        mounts.add(new Mount(f[0], mountPoint, f[2], hasOption(f[3], "ro")));
      }
    }
    return mounts;
  }

  private static boolean hasOption(String options, String wanted) {
    for (String o : options.split(",")) {
      if (o.equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /** Undoes the kernel's octal escaping of blanks and backslashes ({@code \040}, {@code \011}, ...). */
  static String unescape(String path) {
    if (path.indexOf('\\') < 0) {
      return path;
    }
    Matcher m = OCTAL_ESCAPE.matcher(path);
    StringBuilder sb = new StringBuilder(path.length());
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(
          String.valueOf((char) Integer.parseInt(m.group(1), 8))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** A Go-style duration with one unit: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid duration: " + text);
    }
    double n = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1e3;
      case "m" -> n * 60e3;
      default -> n * 3600e3;
    };
    return Duration.ofNanos((long) (millis * 1e6));
  }
}
