package io.swarmscope.exporter.collector;

import java.io.IOException;

/**
 * node_exporter's {@code ErrNoData}: the collector's source does not exist on this host (no PSI in
 * the kernel, conntrack not loaded, no os-release). The scrape still reports
 * {@code node_scrape_collector_success 0}, but {@link NodeCollector} logs it at debug level, since
 * it is the host's shape rather than a fault and would otherwise warn on every scrape.
 */
public final class NoDataException extends IOException {

  public NoDataException(String message) {
    super(message);
  }

  public NoDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
