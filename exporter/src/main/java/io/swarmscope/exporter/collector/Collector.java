package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * One node_exporter-style collector: reads one source (a proc or sys file, a syscall, a cache)
 * and adds its metric families to {@code out}. Throwing marks the collector failed for this scrape
 * ({@code node_scrape_collector_success 0}) without affecting the others.
 *
 * <p>Implementations are called from the scrape thread only, one scrape at a time.
 */
@FunctionalInterface
public interface Collector {
  void collect(List<MetricSnapshot> out) throws Exception;
}
