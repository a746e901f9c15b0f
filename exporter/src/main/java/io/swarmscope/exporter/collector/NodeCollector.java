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
 * <p>Collectors run side by side on {@link ScrapeWorkers} (as node_exporter runs them
 * concurrently) and their families are put together in collector order, so the output does not
 * depend on timing. Scrapes are serialised, and each collector is called by one thread at a time:
 * collectors keep no locks of their own.
 */
public final class NodeCollector implements MultiCollector {

  private static final Logger log = LoggerFactory.getLogger(NodeCollector.class);

  private final Map<String, Collector> collectors;
  private final ScrapeWorkers workers;

  public NodeCollector(Map<String, Collector> collectors) {
    this(collectors, ScrapeWorkers.shared());
  }

  public NodeCollector(Map<String, Collector> collectors, ScrapeWorkers workers) {
    this.collectors = new LinkedHashMap<>(collectors);
    this.workers = workers;
  }

  public List<String> names() {
    return List.copyOf(collectors.keySet());
  }

  @Override
  public synchronized MetricSnapshots collect() {
    List<Run> runs = new ArrayList<>(collectors.size());
    collectors.forEach((name, collector) -> runs.add(new Run(name, collector)));
    workers.runAll(runs);
    List<MetricSnapshot> out = new ArrayList<>(256);
    Family duration = Family.gauge("node_scrape_collector_duration_seconds",
        "node_exporter: Duration of a collector scrape.", "collector");
    Family success = Family.gauge("node_scrape_collector_success",
        "node_exporter: Whether a collector succeeded.", "collector");
    for (Run r : runs) {
      out.addAll(r.out);
      duration.add(r.seconds, r.name);
      success.add(r.ok ? 1 : 0, r.name);
    }
    duration.addTo(out);
    success.addTo(out);
    return new MetricSnapshots(out);
  }

  /** One collector's part of a scrape; what it added before failing is kept, as node_exporter does. */
  private static final class Run implements Runnable {
    final String name;
    final Collector collector;
    final List<MetricSnapshot> out = new ArrayList<>();
    double seconds;
    boolean ok;

    Run(String name, Collector collector) {
      this.name = name;
      this.collector = collector;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      try {
        collector.collect(out);
        ok = true;
      } catch (NoDataException ex) {
        log.debug("collector {} returned no data: {}", name, ex.getMessage());
      } catch (Exception | LinkageError ex) {
        log.warn("collector {} failed: {}", name, ex.toString());
      }
      seconds = (System.nanoTime() - start) / 1e9;
    }
  }
}
