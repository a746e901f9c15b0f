package io.swarmscope.exporter.collector;

import io.swarmscope.exporter.docker.ContainerLabelPolicy;
import io.swarmscope.exporter.host.NativePageSize;
import java.util.List;

/**
 * Every collector the exporter knows, with node_exporter's names and defaults. Adding a collector
 * means one file and one line here.
 */
public final class CollectorCatalog {

  private CollectorCatalog() {}

  public static List<CollectorSpec> all() {
    return List.of(
        new CollectorSpec("conntrack", true, c -> new ConntrackCollector(c.paths())),
        new CollectorSpec("cpu", true, c -> new CpuCollector(c.paths(),
            Boolean.parseBoolean(c.option("collector.cpu.guest", "true")))),
        new CollectorSpec("diskstats", true, DiskstatsCollector::new),
        new CollectorSpec("entropy", true, c -> new EntropyCollector(c.paths())),
        new CollectorSpec("filefd", true, c -> new FilefdCollector(c.paths())),
        new CollectorSpec("filesystem", true, FilesystemCollector::new),
        new CollectorSpec("hwmon", true, c -> new HwmonCollector(c.paths())),
        new CollectorSpec("loadavg", true, c -> new LoadavgCollector(c.paths())),
        new CollectorSpec("mdadm", true, c -> new MdadmCollector(c.paths())),
        new CollectorSpec("meminfo", true, c -> new MeminfoCollector(c.paths())),
        new CollectorSpec("netclass", true, NetclassCollector::new),
        new CollectorSpec("netdev", true, NetdevCollector::new),
        new CollectorSpec("netstat", true, NetstatCollector::new),
        new CollectorSpec("nfs", true, c -> new NfsCollector(c.paths())),
        new CollectorSpec("os", true, c -> new OsReleaseCollector(c.paths())),
        new CollectorSpec("pressure", true, c -> new PressureCollector(c.paths())),
        new CollectorSpec("schedstat", true, c -> new SchedstatCollector(c.paths())),
        new CollectorSpec("sockstat", true, c -> new SockstatCollector(c.paths(), NativePageSize.query())),
        new CollectorSpec("stat", true, c -> new StatCollector(c.paths())),
        new CollectorSpec("time", true, c -> new TimeCollector(c.paths(), c.clock())),
        new CollectorSpec("timex", true, c -> new TimexCollector(c.kernelClock())),
        new CollectorSpec("uname", true, c -> new UnameCollector(c.paths(),
            c.option("collector.uname.nodename", null))),
        new CollectorSpec("vmstat", true, c -> new VmstatCollector(c.paths(),
            c.option("collector.vmstat.fields", VmstatCollector.DEFAULT_FIELDS))),
        new CollectorSpec("swarm_identity", true, c -> new SwarmIdentityCollector(c.docker())),
        new CollectorSpec("container", true, c -> new ContainerCollector(c.paths(), c.docker(),
            c.clock(), ContainerLabelPolicy.of(c.option(ContainerLabelPolicy.OPTION, "")))),
        new CollectorSpec("swarm_cluster", true, c -> new SwarmClusterCollector(c.docker())),
        new CollectorSpec("swarm_manager", true, c -> new SwarmManagerCollector(c.docker())),
        // Last: it rejects file families that clash with those the collectors above produced.
        new CollectorSpec("textfile", true, c -> new TextfileCollector(
            c.option(TextfileCollector.DIRECTORY_OPTION, "").isEmpty() ? null
                : java.nio.file.Path.of(c.option(TextfileCollector.DIRECTORY_OPTION, ""))))
    );
  }
}
