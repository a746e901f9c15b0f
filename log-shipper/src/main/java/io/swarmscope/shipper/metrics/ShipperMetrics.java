package io.swarmscope.shipper.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.swarmscope.common.docker.DockerWatcher;

/**
 * The shipper's metrics, named as the bundle's rules and dashboards use them
 * ({@code docs/log-shipper.md} lists them). Every series carries {@code node}, the node's
 * hostname, because Prometheus scrapes each shipper task with {@code honor_labels}.
 *
 * <p>Per-line hot paths take the data points once per container ({@code labelValues}) and keep
 * them; label sets are bounded by services x levels and by the fixed reason strings.
 */
public final class ShipperMetrics {

  public final Counter linesRead;
  public final Counter bytesRead;
  public final Counter lines;
  public final Counter dropped;
  public final Counter tagged;
  public final Counter shipped;
  public final Counter duplicates;
  public final Counter outputErrors;
  public final Counter rotationLosses;
  public final Counter rotationGapSeconds;
  public final Counter reconnects;
  public final Counter missedContainers;
  public final Gauge lag;
  public final Gauge followed;
  public final Gauge bufferHorizon;
  public final Gauge unsupported;
  public final Gauge queueBytes;

  private final PrometheusRegistry registry;

  public ShipperMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    linesRead = Counter.builder().name("swarmscope_log_lines_read_total")
        .help("Physical lines read from the Docker log API, after 16 KB partials were joined.")
        .labelNames("node").register(registry);
    bytesRead = Counter.builder().name("swarmscope_log_bytes_read_total")
        .help("Bytes of log text read from the Docker log API (without timestamps and framing).")
        .labelNames("node").register(registry);
    lines = Counter.builder().name("swarmscope_log_lines_total")
        .help("Log events produced (a multiline stack trace is one), by service and normalised level.")
        .labelNames("stack", "service", "node", "level").register(registry);
    dropped = Counter.builder().name("swarmscope_log_lines_dropped_total")
        .help("Events not delivered to an output, by reason (each drop is also logged).")
        .labelNames("stack", "service", "node", "reason").register(registry);
    tagged = Counter.builder().name("swarmscope_log_lines_tagged_total")
        .help("Lines kept but altered on the way in: truncated, invalid_utf8, control_chars, ...")
        .labelNames("node", "tag").register(registry);
    shipped = Counter.builder().name("swarmscope_log_events_shipped_total")
        .help("Events an output acknowledged as stored (duplicates not included).")
        .labelNames("node", "output").register(registry);
    duplicates = Counter.builder().name("swarmscope_log_duplicates_suppressed_total")
        .help("Events an output refused because it already had them (Elasticsearch 409 on create).")
        .labelNames("node", "output").register(registry);
    outputErrors = Counter.builder().name("swarmscope_output_errors_total")
        .help("Failed output requests and items, by reason (retried unless counted as dropped).")
        .labelNames("node", "output", "reason").register(registry);
    rotationLosses = Counter.builder().name("swarmscope_log_rotation_losses_total")
        .help("Times Docker's log rotation deleted lines after the checkpoint before they were read.")
        .labelNames("stack", "service", "node").register(registry);
    rotationGapSeconds = Counter.builder().name("swarmscope_log_rotation_gap_seconds_total")
        .help("Log time between the checkpoint and the oldest line Docker still had, summed over losses.")
        .labelNames("stack", "service", "node").register(registry);
    reconnects = Counter.builder().name("swarmscope_log_stream_reconnects_total")
        .help("Log streams re-opened after they ended or failed while the container was running.")
        .labelNames("node", "reason").register(registry);
    missedContainers = Counter.builder().name("swarmscope_log_containers_found_late_total")
        .help("Containers that started and exited without a start event reaching the shipper (event stream down), found by the resync; their logs are shipped then.")
        .labelNames("node").register(registry);
    lag = Gauge.builder().name("swarmscope_log_lag_seconds")
        .help("Age of the oldest line read from the container but not yet acknowledged by every output (0 when caught up).")
        .labelNames("stack", "service", "node", "container").register(registry);
    bufferHorizon = Gauge.builder().name("swarmscope_log_buffer_horizon_seconds")
        .help("How long the outputs may stay down, at worst, before Docker's log rotation deletes lines not yet shipped: max-size x (max-file - 1) over the container's current write rate; +Inf without rotation.")
        .labelNames("stack", "service", "node", "container").register(registry);
    followed = Gauge.builder().name("swarmscope_log_followed_containers")
        .help("Containers whose logs are being followed, by logging driver.")
        .labelNames("node", "driver").register(registry);
    unsupported = Gauge.builder().name("swarmscope_log_unsupported_containers")
        .help("Running containers whose logging driver the Docker log API cannot read.")
        .labelNames("node", "driver").register(registry);
    queueBytes = Gauge.builder().name("swarmscope_output_queue_bytes")
        .help("Bytes of events waiting in an output's queue.")
        .labelNames("node", "output").register(registry);
  }

  /**
   * {@code swarmscope_docker_up} and {@code swarmscope_docker_last_resync_timestamp_seconds} of the
   * watcher that finds the node's containers: a shipper that is down or stuck there follows no new
   * container.
   */
  public void watch(DockerWatcher watcher, String node) {
    GaugeWithCallback.builder().name("swarmscope_docker_up")
        .help("Whether the shipper is connected to the Docker engine (event stream up, last resync done).")
        .labelNames("node")
        .callback(cb -> cb.call(watcher.connected() ? 1 : 0, node)).register(registry);
    GaugeWithCallback.builder().name("swarmscope_docker_last_resync_timestamp_seconds")
        .help("When the shipper last reread the engine's container list in full, in seconds since the epoch.")
        .labelNames("node")
        .callback(cb -> {
          long at = watcher.lastResyncMillis();
          if (at > 0) {
            cb.call(at / 1000.0, node);
          }
        }).register(registry);
  }
}
