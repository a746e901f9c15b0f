package io.swarmscope.exporter.collector;

import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.JnaKernelClock;
import io.swarmscope.exporter.host.KernelClock;
import io.swarmscope.exporter.host.StatFs;
import java.time.Clock;
import java.util.Map;

/**
 * What collectors are built from: the host roots, a clock, the filesystem stat call, the kernel
 * clock discipline (adjtimex), the collector-specific flags ({@code collector.<name>.<option>}
 * without the leading dashes) and the cached view of the Docker engine ({@link DockerView#none()}
 * when Docker is disabled).
 */
public record CollectorContext(HostPaths paths, Clock clock, StatFs statFs, KernelClock kernelClock,
    Map<String, String> options, DockerView docker) {

  public CollectorContext {
    options = Map.copyOf(options);
    docker = docker == null ? DockerView.none() : docker;
  }

  /** A context without Docker that reads the running kernel's adjtimex state. */
  public CollectorContext(HostPaths paths, Clock clock, StatFs statFs, Map<String, String> options) {
    this(paths, clock, statFs, new JnaKernelClock(), options, DockerView.none());
  }

  /** A context with Docker that reads the running kernel's adjtimex state. */
  public CollectorContext(HostPaths paths, Clock clock, StatFs statFs, Map<String, String> options,
      DockerView docker) {
    this(paths, clock, statFs, new JnaKernelClock(), options, docker);
  }

  /** A context without Docker and with the given kernel clock (fixtures). */
  public CollectorContext(HostPaths paths, Clock clock, StatFs statFs, KernelClock kernelClock,
      Map<String, String> options) {
    this(paths, clock, statFs, kernelClock, options, DockerView.none());
  }

  /** A collector option, or {@code fallback} when it was not given. */
  public String option(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }
}
