package io.swarmscope.exporter.cgroup;

import io.swarmscope.exporter.host.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a process's cgroup directories from {@code <procfs>/<pid>/cgroup}, under the cgroup mount
 * {@code <sysfs>/fs/cgroup}. Works for cgroup v1 (one hierarchy per controller, joined mounts like
 * {@code cpu,cpuacct} or separate ones) and v2, with the cgroupfs ({@code /docker/<id>}) and
 * systemd ({@code /system.slice/docker-<id>.scope}) drivers and nested layouts such as
 * Docker-in-Docker nodes ({@code /dind-node-1/<id>}): the path always comes from the kernel, never
 * from the container id. Stateless apart from the version detected at construction.
 */
public final class CgroupLocator {

  private static final String[] V1_CONTROLLERS = {"cpu", "cpuacct", "memory", "blkio", "pids"};

  private final HostPaths paths;
  private final Path mount;
  private final boolean unified;

  public CgroupLocator(HostPaths paths) {
    this.paths = paths;
    this.mount = paths.sys("fs/cgroup");
    this.unified = Files.exists(mount.resolve("cgroup.controllers"));
  }

  /** Whether the host runs cgroup v2 only (a hybrid host with v1 controllers counts as v1). */
  public boolean unified() {
    return unified;
  }

  /** The root cgroup: the machine as a whole, cAdvisor's {@code id="/"}. */
  public CgroupPaths root() {
    if (unified) {
      return CgroupPaths.unified("/", mount);
    }
    Path[] dirs = new Path[V1_CONTROLLERS.length];
    for (int i = 0; i < dirs.length; i++) {
      dirs[i] = v1Mount(V1_CONTROLLERS[i], null);
    }
    return new CgroupPaths("/", false, dirs[0], dirs[1], dirs[2], dirs[3], dirs[4]);
  }

  /**
   * The cgroup of {@code pid}.
   *
   * @throws NoSuchFileException when the process is gone
   * @throws IOException when its cgroup file lacks the needed controllers
   */
  public CgroupPaths forPid(int pid) throws IOException {
    String text = KernelText.read(paths.proc(pid + "/cgroup"));
    Map<String, String> pathByController = new HashMap<>();
    Map<String, String> mountByController = new HashMap<>();
    String unifiedPath = null;
    for (String line : text.split("\n")) {
      int c1 = line.indexOf(':');
      int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
      if (c2 < 0) {
        continue;
      }
      String controllers = line.substring(c1 + 1, c2);
      String path = line.substring(c2 + 1);
      if (controllers.isEmpty()) {
        unifiedPath = path;
        continue;
      }
      for (String c : controllers.split(",")) {
        pathByController.put(c, path);
        mountByController.put(c, controllers);
      }
    }
    if (unified) {
      if (unifiedPath == null) {
        throw new IOException("no cgroup v2 entry for pid " + pid);
      }
      return CgroupPaths.unified(unifiedPath, resolve(mount, unifiedPath));
    }
    Path[] dirs = new Path[V1_CONTROLLERS.length];
    for (int i = 0; i < dirs.length; i++) {
      String c = V1_CONTROLLERS[i];
      String path = pathByController.get(c);
      if (path == null) {
        throw new IOException("no " + c + " cgroup for pid " + pid);
      }
      dirs[i] = resolve(v1Mount(c, mountByController.get(c)), path);
    }
    return new CgroupPaths(pathByController.get("cpu"), false, dirs[0], dirs[1], dirs[2], dirs[3],
        dirs[4]);
  }

  /**
   * Where a v1 controller's hierarchy is mounted: {@code <mount>/<controller>} (a directory or the
   * usual symlink to a joined mount), else the joined mount the process file named
   * ({@code cpu,cpuacct}), else any joined mount listing the controller.
   */
  private Path v1Mount(String controller, String joined) {
    Path own = mount.resolve(controller);
    if (Files.isDirectory(own)) {
      return own;
    }
    if (joined != null && Files.isDirectory(mount.resolve(joined))) {
      return mount.resolve(joined);
    }
    try (Stream<Path> entries = Files.list(mount)) {
      return entries.filter(p -> List.of(p.getFileName().toString().split(",")).contains(controller))
          .findFirst().orElse(own);
    } catch (IOException e) {
      return own;
    }
  }

  /**
   * The directory of a kernel cgroup path under a hierarchy's mount. A reader in a private cgroup
   * namespace sees other cgroups as {@code /../<name>}; those are found by their last segment.
   */
  static Path resolve(Path hierarchy, String cgroupPath) throws IOException {
    String rel = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    if (!rel.startsWith("..")) {
      return rel.isEmpty() ? hierarchy : hierarchy.resolve(rel);
    }
    String name = rel.substring(rel.lastIndexOf('/') + 1);
    try (Stream<Path> walk = Files.walk(hierarchy, 3)) {
      Optional<Path> found = walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
      return found.orElseThrow(() -> new NoSuchFileException(hierarchy + " has no cgroup " + cgroupPath));
    }
  }
}
