package io.swarmscope.exporter.cgroup;

import java.nio.file.Path;

/**
 * Where one cgroup's files are, per controller. On cgroup v2 every controller is the same
 * directory; on v1 each controller has its own hierarchy.
 *
 * @param id the cgroup path as the kernel names it (e.g. {@code /docker/<id>}); cAdvisor's {@code id} label
 * @param unified whether this is a cgroup v2 (unified) directory
 */
public record CgroupPaths(String id, boolean unified, Path cpu, Path cpuacct, Path memory, Path blkio,
    Path pids) {

  /** A cgroup v2 directory. */
  public static CgroupPaths unified(String id, Path dir) {
    return new CgroupPaths(id, true, dir, dir, dir, dir, dir);
  }
}
