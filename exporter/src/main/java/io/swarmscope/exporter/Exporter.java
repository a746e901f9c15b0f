package io.swarmscope.exporter;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.web.WebConfig;
import io.swarmscope.common.web.WebSecurity;
import io.swarmscope.exporter.collector.Collector;
import io.swarmscope.exporter.collector.CollectorCatalog;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.collector.CollectorSpec;
import io.swarmscope.exporter.collector.NodeCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The exporter assembled: the enabled collectors in one registry, served over HTTP by
 * client_java's server (content negotiation between text and OpenMetrics, gzip, {@code /-/healthy}).
 */
public final class Exporter implements AutoCloseable {

  private final HTTPServer server;
  private final NodeCollector nodeCollector;
  private final WebSecurity security;

  private Exporter(HTTPServer server, NodeCollector nodeCollector, WebSecurity security) {
    this.server = server;
    this.nodeCollector = nodeCollector;
    this.security = security;
  }

  /** Builds the collectors the flags enable, with {@code extra} ones appended (e.g. Docker-fed). */
  public static NodeCollector collectors(ExporterFlags flags, CollectorContext context,
      List<CollectorSpec> catalog) {
    Set<String> known = catalog.stream().map(CollectorSpec::name).collect(Collectors.toSet());
    for (String name : flags.toggles().keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown collector: " + name + " (known: "
            + catalog.stream().map(CollectorSpec::name).sorted().toList() + ")");
      }
    }
    Map<String, Collector> enabled = new LinkedHashMap<>();
    for (CollectorSpec spec : catalog) {
      if (flags.enabled(spec.name(), spec.enabledByDefault())) {
        enabled.put(spec.name(), spec.factory().apply(context));
      }
    }
    return new NodeCollector(enabled);
  }

  public static Exporter start(ExporterFlags flags, CollectorContext context) throws IOException {
    return start(flags, context, CollectorCatalog.all());
  }

  public static Exporter start(ExporterFlags flags, CollectorContext context,
      List<CollectorSpec> catalog) throws IOException {
    NodeCollector node = collectors(flags, context, catalog);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(node);
    registry.register(new BuildInfo());
    registry.register(new DockerConnectionMetrics(context.docker()));
    WebSecurity security = WebSecurity.of(flags.webConfigFile().isEmpty()
        ? WebConfig.NONE : WebConfig.read(Path.of(flags.webConfigFile())));
    HTTPServer.Builder builder = HTTPServer.builder()
        .hostname(flags.host())
        .port(flags.port())
        .registry(registry)
        .executorService(scrapeExecutor());
    security.https().ifPresent(builder::httpsConfigurator);
    security.authenticator().ifPresent(builder::authenticator);
    return new Exporter(builder.buildAndStart(), node, security);
  }

  /**
   * Two threads serve scrapes: one Prometheus plus a health check or a person's curl. Scrapes
   * are serialised in NodeCollector anyway, and each idle thread costs a per-node agent memory.
   */
  private static ExecutorService scrapeExecutor() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), r -> {
      Thread t = new Thread(r, "http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public int port() {
    return server.getPort();
  }

  /** {@code "http"}, {@code "https, basic auth"}, ...: what the web config file switched on. */
  public String webSecurity() {
    return security.describe();
  }

  public List<String> collectorNames() {
    return nodeCollector.names();
  }

  @Override
  public void close() {
    server.close();
  }
}
