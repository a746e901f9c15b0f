package io.swarmscope.exporter.host;

import java.nio.file.Path;

/**
 * The roots every reader resolves against, as node_exporter's {@code --path.procfs},
 * {@code --path.sysfs} and {@code --path.rootfs}. In a container these point at the host's
 * read-only mounts (e.g. {@code /host/proc}), so the exporter reports the host.
 */
public record HostPaths(Path procfs, Path sysfs, Path rootfs) {

  public static HostPaths defaults() {
    return new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/"));
  }

  public Path proc(String relative) {
    return procfs.resolve(relative);
  }

  public Path sys(String relative) {
    return sysfs.resolve(relative);
  }

  public Path root(String relative) {
    return rootfs.resolve(relative);
  }

  /**
   * Maps a mount point as the host sees it to the path this process can stat, and back:
   * {@code /var} becomes {@code <rootfs>/var}.
   */
  public Path rootedMountPoint(String hostMountPoint) {
    String rel = hostMountPoint.startsWith("/") ? hostMountPoint.substring(1) : hostMountPoint;
    return rel.isEmpty() ? rootfs : rootfs.resolve(rel);
  }

  /** The host-visible path of {@code mountPoint} as listed in a mounts file read from inside the rootfs. */
  public String hostMountPoint(String mountPoint) {
    String root = rootfs.toString();
    if (root.equals("/") || root.isEmpty()) {
      return mountPoint;
    }
    if (mountPoint.equals(root)) {
      return "/";
    }
    if (mountPoint.startsWith(root + "/")) {
      return mountPoint.substring(root.length());
    }
    return mountPoint;
  }
}
