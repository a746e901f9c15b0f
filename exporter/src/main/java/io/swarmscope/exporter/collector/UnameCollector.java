package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * node_exporter's {@code uname} collector: {@code node_uname_info} with the host's kernel and
 * names, read from files instead of the uname(2) call so that a containerised exporter reports the
 * host and not its own UTS namespace.
 *
 * <p>Where each label comes from:
 * <ul>
 *   <li>{@code nodename}, first that is set and non-empty:
 *     <ol>
 *       <li>the {@code --collector.uname.nodename} option;</li>
 *       <li>{@code <rootfs>/etc/hostname} (first line that is not a comment), only when
 *           {@code --path.rootfs} is not "/", i.e. the host's / is mounted into a container;</li>
 *       <li>{@code <procfs>/sys/kernel/hostname}. That file answers for the UTS namespace of the
 *           <em>reader</em>, so in a container it is the container's name; hence it comes last.</li>
 *     </ol></li>
 *   <li>{@code release}, {@code version}, {@code domainname}: {@code <procfs>/sys/kernel/osrelease},
 *       {@code version} and {@code domainname} (the domain name, like the host name, is per UTS
 *       namespace; the kernel prints "(none)" when it is unset).</li>
 *   <li>{@code machine}: {@code <procfs>/sys/kernel/arch} (Linux 6.1+), else the JVM's
 *       {@code os.arch} with "amd64" spelt "x86_64" as uname does.</li>
 *   <li>{@code sysname}: always "Linux".</li>
 * </ul>
 *
 * <p>The kernel's release, version and architecture cannot change while it runs, so they are read
 * on the first successful scrape and kept; the names are read on every scrape.
 */
public final class UnameCollector implements Collector {

  private final String nodenameOption;
  private final Path rootHostname;
  private final Path kernelHostname;
  private final Path osrelease;
  private final Path version;
  private final Path domainname;
  private final Path arch;
  private Kernel kernel;

  private record Kernel(String release, String version, String machine) {}

  /**
   * @param nodenameOption {@code --collector.uname.nodename}, or null when not given
   */
  public UnameCollector(HostPaths paths, String nodenameOption) {
    this.nodenameOption = nodenameOption;
    boolean ownRoot = paths.rootfs().normalize().toString().equals("/");
    this.rootHostname = ownRoot ? null : paths.root("etc/hostname");
    this.kernelHostname = paths.proc("sys/kernel/hostname");
    this.osrelease = paths.proc("sys/kernel/osrelease");
    this.version = paths.proc("sys/kernel/version");
    this.domainname = paths.proc("sys/kernel/domainname");
    this.arch = paths.proc("sys/kernel/arch");
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    if (kernel == null) {
      kernel = new Kernel(ProcFiles.readTrimmed(osrelease), ProcFiles.readTrimmed(version), machine());
    }
    String domain = ProcFiles.readTrimmed(domainname);
    String node = nodename();
    out.add(Family.gauge("node_uname_info",
            "Labeled system information as provided by the uname system call.",
            "sysname", "release", "version", "machine", "nodename", "domainname")
        .add(1, "Linux", kernel.release(), kernel.version(), kernel.machine(), node, domain)
        .build());
  }

  private String nodename() throws IOException {
    if (nodenameOption != null && !nodenameOption.isBlank()) {
      return nodenameOption.trim();
    }
    if (rootHostname != null) {
      String fromRoot = firstName(rootHostname);
      if (fromRoot != null) {
        return fromRoot;
      }
    }
    return ProcFiles.readTrimmed(kernelHostname);
  }

  /** The host name in an /etc/hostname file, which hostname(5) allows to carry comment lines. */
  private static String firstName(Path file) throws IOException {
    try {
      for (String line : ProcFiles.lines(file)) {
        String name = line.trim();
        if (!name.isEmpty() && !name.startsWith("#")) {
          return name;
        }
      }
      return null;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private String machine() throws IOException {
    try {
      return ProcFiles.readTrimmed(arch);
    } catch (NoSuchFileException e) {
      String jvmArch = System.getProperty("os.arch");
      return jvmArch.equals("amd64") ? "x86_64" : jvmArch;
    }
  }
}
