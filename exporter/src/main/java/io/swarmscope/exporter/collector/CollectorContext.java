package io.swarmscope.exporter.collector;

import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.StatFs;
import java.time.Clock;
import java.util.Map;

/**
 * What collectors are built from: the host roots, a clock, the filesystem stat call and the
 * collector-specific flags ({@code collector.<name>.<option>} without the leading dashes).
 */
public record CollectorContext(HostPaths paths, Clock clock, StatFs statFs, Map<String, String> options) {

  public CollectorContext {
    options = Map.copyOf(options);
  }

  /** A collector option, or {@code fallback} when it was not given. */
  public String option(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }
}
