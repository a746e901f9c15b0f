package io.swarmscope.exporter.host;

import java.io.IOException;
import java.nio.file.Path;

/** The statfs(2) call behind the filesystem collector; injected so tests run on fixture trees. */
@FunctionalInterface
public interface StatFs {

  /** Block and inode counts of one mounted filesystem, in node_exporter's terms. */
  record Result(long blockSize, long blocks, long blocksFree, long blocksAvailable,
      long files, long filesFree) {}

  Result stat(Path mountPoint) throws IOException;
}
