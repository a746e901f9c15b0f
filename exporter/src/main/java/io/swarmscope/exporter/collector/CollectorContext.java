package io.swarmscope.exporter.collector;

import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.StatFs;
import java.time.Clock;
import java.util.Map;

/**
 * What collectors are built from: the host roots, a clock, the filesystem stat call, the
 * collector-specific flags ({@code collector.<name>.<option>} without the leading dashes) and the
 * cached view of the Docker engine ({@link DockerView#none()} when Docker is disabled).
 */
public record CollectorContext(HostPaths paths, Clock clock, StatFs statFs, Map<String, String> options,
    DockerView docker) {

  public CollectorContext {
    options = Map.copyOf(options);
    docker = docker == null ? DockerView.none() : docker;
  }

  /** A context without Docker, for host-only collectors and their tests. */
  public CollectorContext(HostPaths paths, Clock clock, StatFs statFs, Map<String, String> options) {
    this(paths, clock, statFs, options, DockerView.none());
  }

  /** A collector option, or {@code fallback} when it was not given. */
  public String option(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }
}
