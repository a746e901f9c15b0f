package io.swarmscope.exporter.cgroup;

import java.io.IOException;

/**
 * Reads a cgroup's counters and limits from its files. A cgroup that disappears while being read
 * (its container stopped) surfaces as a {@link java.nio.file.NoSuchFileException} or other
 * {@link IOException}; callers skip that container for this scrape.
 */
public interface CgroupReader {

  /**
   * Reads the counters, and the limits (memory limit, CPU quota, period and shares) only when
   * {@code withLimits}: limits change rarely and each file read costs a few system calls, so
   * callers reread them periodically; without them those values come back ABSENT.
   */
  CgroupStats read(CgroupPaths paths, boolean withLimits) throws IOException;

  /** The reader for {@code paths}' cgroup version. */
  static CgroupReader forPaths(CgroupPaths paths) {
    return paths.unified() ? CgroupV2Reader.INSTANCE : CgroupV1Reader.INSTANCE;
  }
}
