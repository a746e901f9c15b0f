package io.swarmscope.exporter.cgroup;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Counts a cgroup's threads by scheduler state, cAdvisor's {@code container_tasks_state}: the
 * thread ids come from the cgroup ({@code tasks} on v1, {@code cgroup.threads} on v2) and each
 * state from {@code <procfs>/<tid>/stat}. A thread that exits meanwhile is simply not counted.
 */
public final class TaskStateCounter {

  /** The states cAdvisor exports, in this order in the returned counts. */
  public static final String[] STATES = {"sleeping", "running", "stopped", "uninterruptible", "iowait"};

  private final Path procfs;

  public TaskStateCounter(Path procfs) {
    this.procfs = procfs;
  }

  /** Counts per {@link #STATES} entry; iowait stays 0 (the kernel has no such thread state). */
  public long[] count(CgroupPaths cgroup) throws IOException {
    Path list = cgroup.unified() ? cgroup.cpu().resolve("cgroup.threads") : cgroup.cpu().resolve("tasks");
    String tids = KernelText.read(list);
    long[] counts = new long[STATES.length];
    int pos = 0;
    int n = tids.length();
    while (pos < n) {
      int eol = tids.indexOf('\n', pos);
      if (eol < 0) {
        eol = n;
      }
      if (eol > pos) {
        int state = state(tids.substring(pos, eol));
        if (state >= 0) {
          counts[state]++;
        }
      }
      pos = eol + 1;
    }
    return counts;
  }

  private int state(String tid) throws IOException {
    String stat;
    try {
      stat = KernelText.read(procfs.resolve(tid).resolve("stat"));
    } catch (NoSuchFileException e) {
      return -1;
    }
    int paren = stat.lastIndexOf(')');
    if (paren < 0 || paren + 2 >= stat.length()) {
      return -1;
    }
    return switch (stat.charAt(paren + 2)) {
      case 'R' -> 1;
      case 'S', 'I' -> 0;
      case 'T', 't' -> 2;
      case 'D' -> 3;
      default -> -1;
    };
  }
}
