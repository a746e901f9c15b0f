package io.swarmscope.exporter.collector;

import io.swarmscope.exporter.docker.ContainerLabelPolicy;
import java.util.List;

/**
 * Every collector the exporter knows, with node_exporter's names and defaults. Adding a collector
 * means one file and one line here.
 */
public final class CollectorCatalog {

  private CollectorCatalog() {}

  public static List<CollectorSpec> all() {
    return List.of(
        new CollectorSpec("loadavg", true, c -> new LoadavgCollector(c.paths())),
        new CollectorSpec("meminfo", true, c -> new MeminfoCollector(c.paths())),
        new CollectorSpec("swarm_identity", true, c -> new SwarmIdentityCollector(c.docker())),
        new CollectorSpec("container", true, c -> new ContainerCollector(c.paths(), c.docker(),
            c.clock(), ContainerLabelPolicy.of(c.option(ContainerLabelPolicy.OPTION, "")))),
        new CollectorSpec("swarm_cluster", true, c -> new SwarmClusterCollector(c.docker()))
    );
  }
}
