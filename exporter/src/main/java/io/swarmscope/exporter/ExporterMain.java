package io.swarmscope.exporter;

import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.docker.DockerSources;
import io.swarmscope.exporter.host.JnaStatFs;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry point: parses flags, starts the exporter and serves until killed. */
public final class ExporterMain {

  private static final Logger log = LoggerFactory.getLogger(ExporterMain.class);

  private ExporterMain() {}

  public static void main(String[] args) throws Exception {
    ExporterFlags flags;
    try {
      flags = ExporterFlags.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("swarmscope-exporter: " + e.getMessage());
      System.err.print(ExporterFlags.USAGE);
      System.exit(2);
      return;
    }
    if (flags.help()) {
      System.out.print(ExporterFlags.USAGE);
      return;
    }
    if (flags.version()) {
      System.out.println("swarmscope-exporter " + BuildInfo.version());
      return;
    }
    DockerSources docker = DockerSources.start(flags.dockerHost(), flags.options());
    // The process's own zone, as node_exporter's time collector reports Go's time.Local.
    CollectorContext context = new CollectorContext(flags.paths(), Clock.systemDefaultZone(),
        new JnaStatFs(), flags.options(), docker.view());
    Exporter exporter;
    try {
      exporter = Exporter.start(flags, context);
    } catch (IllegalArgumentException e) {
      System.err.println("swarmscope-exporter: " + e.getMessage());
      System.exit(2);
      return;
    }
    log.info("listening on {} ({}) with collectors {}", flags.listenAddress(), exporter.webSecurity(),
        exporter.collectorNames());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      exporter.close();
      docker.close();
    }, "shutdown"));
    Thread.currentThread().join();
  }
}
