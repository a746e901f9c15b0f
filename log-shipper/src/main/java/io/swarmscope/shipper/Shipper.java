package io.swarmscope.shipper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.DockerClients;
import io.swarmscope.common.docker.DockerWatcher;
import io.swarmscope.common.docker.EngineIdentity;
import io.swarmscope.common.web.WebConfig;
import io.swarmscope.common.web.WebSecurity;
import io.swarmscope.shipper.checkpoint.CheckpointStore;
import io.swarmscope.shipper.docker.ContainerFilter;
import io.swarmscope.shipper.docker.FollowerManager;
import io.swarmscope.shipper.docker.OwnContainer;
import io.swarmscope.shipper.elasticsearch.DailyIndex;
import io.swarmscope.shipper.elasticsearch.ElasticsearchClients;
import io.swarmscope.shipper.elasticsearch.ElasticsearchOutput;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.AckListener;
import io.swarmscope.shipper.output.NullOutput;
import io.swarmscope.shipper.output.Output;
import io.swarmscope.shipper.output.QueuedOutput.BatchPolicy;
import io.swarmscope.shipper.output.StdoutOutput;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.PipelineSettings;
import io.swarmscope.shipper.pipeline.ServiceRateLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper assembled: Docker watcher, follower manager, outputs, checkpoints, metrics server,
 * and the timers that flush held groups, update gauges and write checkpoints.
 */
public final class Shipper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Shipper.class);

  private final DockerWatcher watcher;
  private final DockerHttpClient http;
  private final CheckpointStore checkpoints;
  private final List<Output> outputs;
  private final FollowerManager followers;
  private final HTTPServer server;
  private final ScheduledExecutorService timers;
  private final ScheduledExecutorService resync;
  private final ShipperMetrics metrics;
  private final String node;

  private Shipper(DockerWatcher watcher, DockerHttpClient http, CheckpointStore checkpoints,
      List<Output> outputs, FollowerManager followers, HTTPServer server,
      ScheduledExecutorService timers, ScheduledExecutorService resync, ShipperMetrics metrics,
      String node) {
    this.watcher = watcher;
    this.http = http;
    this.checkpoints = checkpoints;
    this.outputs = outputs;
    this.followers = followers;
    this.server = server;
    this.timers = timers;
    this.resync = resync;
    this.metrics = metrics;
    this.node = node;
  }

  public static Shipper start(ShipperConfig config) throws IOException, InterruptedException {
    // First: a broken web config file (or certificate) must fail before anything is followed.
    WebSecurity security = WebSecurity.of(
        config.path("WEB_CONFIG_FILE").map(WebConfig::read).orElse(WebConfig.NONE));
    String dockerHost = config.get("DOCKER_HOST", "unix:///var/run/docker.sock");
    int maxFollowed = config.integer("MAX_CONTAINERS", 1000);
    DockerWatcher watcher = DockerWatcher.of(dockerHost, Duration.ofSeconds(30), k -> true);
    DockerClient docker = watcher.client();
    DockerHttpClient http = DockerClients.httpClient(dockerHost, maxFollowed + 16);
    watcher.start();
    String node = config.optional("NODE_NAME").orElseGet(() -> awaitNodeName(watcher));

    PrometheusRegistry registry = new PrometheusRegistry();
    ShipperMetrics metrics = new ShipperMetrics(registry);
    metrics.watch(watcher, node);
    CheckpointStore checkpoints = CheckpointStore.open(
        Path.of(config.get("CHECKPOINT_DIR", "/var/lib/swarmscope-shipper")), Instant.now());

    Acks acks = new Acks(checkpoints);
    List<Output> outputs = outputs(config, acks, metrics, node);
    PipelineSettings settings = new PipelineSettings(
        (int) config.bytes("MAX_LINE_BYTES", 256 * 1024),
        config.flag("MULTILINE", true),
        config.optional("MULTILINE_PATTERN").map(Pattern::compile),
        Duration.ofMillis(config.integer("MULTILINE_FLUSH_MS", 500)),
        config.integer("MULTILINE_MAX_LINES", 500),
        (int) config.bytes("MULTILINE_MAX_BYTES", 512 * 1024),
        Duration.ofMillis(config.integer("OUTPUT_BLOCK_MS", 10_000)));
    ContainerFilter filter = new ContainerFilter(new HashSet<>(config.list("INCLUDE_SERVICES")),
        new HashSet<>(config.list("INCLUDE_STACKS")), config.list("INCLUDE_LABELS"),
        config.list("EXCLUDE_LABELS"), OwnContainer.id(Path.of("/proc/self/mountinfo")),
        config.flag("SHIP_OWN_LOGS", false));
    ServiceRateLimits rateLimits = rateLimits(config);
    FollowerManager followers = new FollowerManager(docker, http, checkpoints, outputs, settings,
        filter, metrics, node, rateLimits);
    acks.followers = followers;
    outputs.forEach(Output::start);

    String address = config.get("METRICS_ADDRESS", ":9101");
    int colon = address.lastIndexOf(':');
    String host = colon <= 0 ? "0.0.0.0" : address.substring(0, colon);
    HTTPServer.Builder builder = HTTPServer.builder()
        .hostname(host)
        .port(Integer.parseInt(address.substring(colon + 1)))
        .registry(registry);
    security.https().ifPresent(builder::httpsConfigurator);
    security.authenticator().ifPresent(builder::authenticator);
    HTTPServer server = builder.buildAndStart();

    ScheduledExecutorService timers = daemonTimer("shipper-timers");
    // The resync calls Docker: on its own thread, so that a slow engine never holds back the
    // checkpoint writes and multiline flushes on the timers thread.
    ScheduledExecutorService resync = daemonTimer("shipper-resync");
    Shipper shipper = new Shipper(watcher, http, checkpoints, outputs, followers, server, timers,
        resync, metrics, node);
    // Listen first, then list: a container that starts and exits in between is seen either way.
    watcher.addListener(followers::onEvent);
    if (!watcher.awaitConnected(Duration.ofSeconds(60))) {
      throw new IllegalStateException("Docker at " + dockerHost + " did not answer within 60 s");
    }
    followers.initialScan();
    timers.scheduleWithFixedDelay(shipper::tick, 100, 100, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(shipper::flushCheckpoints, 1, 1, TimeUnit.SECONDS);
    resync.scheduleWithFixedDelay(() -> {
      try {
        followers.reconcile(watcher.inventory().all());
      } catch (RuntimeException e) {
        log.warn("resync of followed containers failed ({}); retried in 10 s", e.toString());
      }
    }, 5, 10, TimeUnit.SECONDS);
    log.info("shipping logs of node {} to {}; metrics on {} ({}); rate limits: {}", node,
        outputs.stream().map(Output::name).toList(), address, security.describe(), rateLimits);
    return shipper;
  }

  private static ScheduledExecutorService daemonTimer(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static String awaitNodeName(DockerWatcher watcher) {
    for (int i = 0; i < 600; i++) {
      Optional<EngineIdentity> id = watcher.identity();
      if (id.isPresent()) {
        return id.get().nodeName();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("Docker did not answer within 60 s; cannot tell the node's "
        + "hostname (set SWARMSCOPE_NODE_NAME to start without it)");
  }

  static List<Output> outputs(ShipperConfig config, AckListener acks, ShipperMetrics metrics,
      String node) throws IOException {
    long queueBytes = config.bytes("QUEUE_BYTES", 16L << 20);
    List<Output> outputs = new ArrayList<>();
    List<String> names = config.list("OUTPUTS");
    if (names.isEmpty()) {
      names = List.of("stdout");
    }
    for (String name : names) {
      switch (name) {
        case "stdout" -> outputs.add(new StdoutOutput(System.out, queueBytes, acks,
            metrics.shipped.labelValues(node, "stdout")));
        case "null" -> outputs.add(new NullOutput(queueBytes, acks,
            metrics.shipped.labelValues(node, "null")));
        case "elasticsearch" -> outputs.add(new ElasticsearchOutput(elasticsearch(config),
            dailyIndex(config), queueBytes,
            new BatchPolicy(config.integer("ELASTICSEARCH_BATCH_EVENTS", 5000),
                config.bytes("ELASTICSEARCH_BATCH_BYTES", 5L << 20),
                config.integer("ELASTICSEARCH_BATCH_LINGER_MS", 200)),
            config.integer("ELASTICSEARCH_IN_FLIGHT", 1), acks, metrics, node));
        case "logstash" -> outputs.add(new io.swarmscope.shipper.output.logstash.LogstashOutput(
            io.swarmscope.shipper.output.logstash.LogstashSettings.from(config), queueBytes, acks,
            metrics, node));
        default -> throw new IllegalArgumentException("unknown output '" + name
            + "' (known: elasticsearch, logstash, stdout, null)");
      }
    }
    return outputs;
  }

  static ServiceRateLimits rateLimits(ShipperConfig config) {
    String perService = config.get("SERVICE_RATE_LIMIT", "0");
    double rate;
    try {
      rate = Double.parseDouble(perService);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SWARMSCOPE_SERVICE_RATE_LIMIT: '" + perService
          + "' is not a number of lines per second (0 = off)");
    }
    return new ServiceRateLimits(rate,
        ServiceRateLimits.parseOverrides(config.list("SERVICE_RATE_LIMIT_OVERRIDES")),
        System::nanoTime);
  }

  /** The index naming; the data stream setting of earlier versions is refused with the why. */
  static DailyIndex dailyIndex(ShipperConfig config) {
    if (config.optional("ELASTICSEARCH_DATA_STREAM").isPresent()) {
      throw new IllegalArgumentException("SWARMSCOPE_ELASTICSEARCH_DATA_STREAM is no longer "
          + "read: a data stream accepts a re-sent line only into its current write index, so a "
          + "retry after a rollover was stored twice. Lines now go to daily indices "
          + "<prefix>-YYYY.MM.DD named after their own timestamp; set "
          + "SWARMSCOPE_ELASTICSEARCH_INDEX_PREFIX (default " + DailyIndex.DEFAULT_PREFIX
          + ") instead and run setup again for the new index template");
    }
    return new DailyIndex(config.get("ELASTICSEARCH_INDEX_PREFIX", DailyIndex.DEFAULT_PREFIX));
  }

  static ElasticsearchClient elasticsearch(ShipperConfig config) throws IOException {
    return ElasticsearchClients.create(URI.create(config.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")),
        config.optional("ELASTICSEARCH_USERNAME").orElse(null),
        config.path("ELASTICSEARCH_PASSWORD_FILE").orElse(null),
        config.path("ELASTICSEARCH_CA_FILE").orElse(null));
  }

  private void tick() {
    try {
      long now = Instant.now().toEpochMilli() * 1_000_000L;
      followers.tick(now);
      for (Output o : outputs) {
        metrics.queueBytes.labelValues(node, o.name()).set(o.queuedBytes());
      }
    } catch (RuntimeException e) {
      log.warn("timer failed: {}", e.toString());
    }
  }

  private void flushCheckpoints() {
    try {
      checkpoints.flush();
    } catch (IOException | RuntimeException e) {
      log.error("cannot write checkpoints: {} (lines keep flowing; a restart now re-sends up to "
          + "what was written last)", e.toString());
    }
  }

  public int metricsPort() {
    return server.getPort();
  }

  public FollowerManager followers() {
    return followers;
  }

  /** Stops reading, lets the outputs deliver what they hold (bounded), writes the checkpoints. */
  @Override
  public void close() {
    followers.close();
    watcher.close();
    for (Output o : outputs) {
      o.close(5_000);
    }
    flushCheckpoints();
    resync.shutdownNow();
    timers.shutdownNow();
    server.close();
    try {
      http.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** Moves each output's checkpoint forward as it acknowledges events. */
  private static final class Acks implements AckListener {
    private final CheckpointStore checkpoints;
    private volatile FollowerManager followers;

    Acks(CheckpointStore checkpoints) {
      this.checkpoints = checkpoints;
    }

    @Override
    public void acked(String output, LogEvent event) {
      checkpoints.advance(output, event.container().id(), event.record().last());
      FollowerManager f = followers;
      if (f != null) {
        f.acked(output, event.container().id());
      }
    }
  }
}
