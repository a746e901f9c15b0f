package io.swarmscope.shipper.output;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.util.List;

/**
 * Acknowledges and discards: for benchmarks of the reading side, and for running the shipper only
 * for its log metrics.
 */
public final class NullOutput extends QueuedOutput {

  private final CounterDataPoint shipped;

  public NullOutput(long queueBytes, AckListener acks, CounterDataPoint shipped) {
    super("null", queueBytes, new BatchPolicy(4096, 8 << 20, 0), acks);
    this.shipped = shipped;
  }

  @Override
  protected void deliver(List<LogEvent> batch) {
    for (LogEvent e : batch) {
      shipped.inc();
      acks.acked(name(), e);
    }
  }
}
