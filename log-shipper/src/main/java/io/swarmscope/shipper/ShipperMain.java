package io.swarmscope.shipper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.swarmscope.shipper.elasticsearch.IndexSetup;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: {@code run} (default) follows and ships; {@code setup} prepares Elasticsearch. */
public final class ShipperMain {

  private static final Logger log = LoggerFactory.getLogger(ShipperMain.class);

  private ShipperMain() {}

  public static void main(String[] args) throws Exception {
    ShipperConfig config;
    try {
      config = ShipperConfig.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    switch (config.command()) {
      case "help" -> System.out.println(ShipperConfig.usage());
      case "setup" -> System.exit(setup(config));
      case "run" -> {
        try {
          run(config);
        } catch (Exception e) {
          // Client threads (Docker, Elasticsearch) are not daemons: exit, so the orchestrator
          // sees the failure and restarts the task.
          log.error("the shipper cannot start: {}", e.toString(), e);
          System.exit(1);
        }
      }
      default -> {
        System.err.println("unknown command '" + config.command() + "'\n" + ShipperConfig.usage());
        System.exit(2);
      }
    }
  }

  private static void run(ShipperConfig config) throws Exception {
    Shipper shipper = Shipper.start(config);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: delivering what is queued, writing checkpoints");
      shipper.close();
      done.countDown();
    }, "shutdown"));
    done.await();
  }

  /** Exit status 0 when the template is installed, 1 otherwise (a restart-on-failure job retries). */
  private static int setup(ShipperConfig config) {
    try (ElasticsearchClient client = Shipper.elasticsearch(config)) {
      var report = new IndexSetup(client).run();
      report.notes().forEach(n -> log.info("setup: {}", n));
      return report.templateInstalled() ? 0 : 1;
    } catch (Exception e) {
      log.error("setup failed: {}", e.toString());
      return 1;
    }
  }
}
