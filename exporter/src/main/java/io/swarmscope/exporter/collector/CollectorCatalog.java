package io.swarmscope.exporter.collector;

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
        new CollectorSpec("diskstats", true, DiskstatsCollector::new),
        new CollectorSpec("filesystem", true, FilesystemCollector::new),
        new CollectorSpec("loadavg", true, c -> new LoadavgCollector(c.paths())),
        new CollectorSpec("meminfo", true, c -> new MeminfoCollector(c.paths())),
        new CollectorSpec("netdev", true, NetdevCollector::new),
        new CollectorSpec("netstat", true, NetstatCollector::new),
        new CollectorSpec("sockstat", true, c -> new SockstatCollector(c.paths(), NativePageSize.query()))
    );
  }
}
