package io.swarmscope.exporter.collector;

import io.swarmscope.exporter.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes a fake proc/sys/root tree under a temporary directory. */
public final class FixtureTree {

  private final Path base;

  public FixtureTree(Path base) {
    this.base = base;
  }

  public HostPaths paths() {
    return new HostPaths(base.resolve("proc"), base.resolve("sys"), base.resolve("root"));
  }

  /** Writes {@code content} at {@code relative} (e.g. {@code proc/loadavg}), creating parents. */
  public FixtureTree file(String relative, String content) {
    Path p = base.resolve(relative);
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
