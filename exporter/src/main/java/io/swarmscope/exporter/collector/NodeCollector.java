package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled collectors for one scrape and adds node_exporter's per-collector
 * {@code node_scrape_collector_duration_seconds} and {@code node_scrape_collector_success}.
 * A collector that throws is reported with success 0 and a log line (debug for
 * {@link NoDataException}, warn otherwise); the others still answer.
 *
 * <p>Scrapes are serialised: collectors keep no locks of their own.
 */
public final class NodeCollector implements MultiCollector {

  private static final Logger log = LoggerFactory.getLogger(NodeCollector.class);

  private final Map<String, Collector> collectors;

  public NodeCollector(Map<String, Collector> collectors) {
    this.collectors = new LinkedHashMap<>(collectors);
  }

  public List<String> names() {
    return List.copyOf(collectors.keySet());
  }

  @Override
  public synchronized MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>(256);
    Family duration = Family.gauge("node_scrape_collector_duration_seconds",
        "node_exporter: Duration of a collector scrape.", "collector");
    Family success = Family.gauge("node_scrape_collector_success",
        "node_exporter: Whether a collector succeeded.", "collector");
    for (Map.Entry<String, Collector> e : collectors.entrySet()) {
      long start = System.nanoTime();
      boolean ok;
      try {
        e.getValue().collect(out);
        ok = true;
      } catch (NoDataException ex) {
        ok = false;
        log.debug("collector {} returned no data: {}", e.getKey(), ex.getMessage());
      } catch (Exception | LinkageError ex) {
        ok = false;
        log.warn("collector {} failed: {}", e.getKey(), ex.toString());
      }
      duration.add((System.nanoTime() - start) / 1e9, e.getKey());
      success.add(ok ? 1 : 0, e.getKey());
    }
    duration.addTo(out);
    success.addTo(out);
    return new MetricSnapshots(out);
  }
}
