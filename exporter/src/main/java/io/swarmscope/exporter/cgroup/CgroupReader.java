package io.swarmscope.exporter.cgroup;

import java.io.IOException;

/**
 * Reads a cgroup's counters and limits from its files. A cgroup that disappears while being read
 * (its container stopped) surfaces as a {@link java.nio.file.NoSuchFileException} or other
 * {@link IOException}; callers skip that container for this scrape.
 */
public interface CgroupReader {

  CgroupStats read(CgroupPaths paths) throws IOException;

  /** The reader for {@code paths}' cgroup version. */
  static CgroupReader forPaths(CgroupPaths paths) {
    return paths.unified() ? CgroupV2Reader.INSTANCE : CgroupV1Reader.INSTANCE;
  }
}
