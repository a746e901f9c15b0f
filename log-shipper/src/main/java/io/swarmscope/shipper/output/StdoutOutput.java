package io.swarmscope.shipper.output;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * JSON lines, one ECS document per line, to standard output (or any stream): the default output,
 * so the shipper is useful on a plain Docker host in one command. At-least-once: an event is
 * acknowledged after its batch was flushed to the stream.
 */
public final class StdoutOutput extends QueuedOutput {

  private final OutputStream out;
  private final CounterDataPoint shipped;

  public StdoutOutput(OutputStream out, long queueBytes, AckListener acks, CounterDataPoint shipped) {
    super("stdout", queueBytes, new BatchPolicy(1000, 1 << 20, 50), acks);
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.shipped = shipped;
  }

  @Override
  protected void deliver(List<LogEvent> batch) {
    try {
      for (LogEvent e : batch) {
        out.write(e.document());
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      // stdout gone (closed pipe): nothing to retry to; the events stay unacknowledged.
      throw new java.io.UncheckedIOException("standard output is closed", e);
    }
    for (LogEvent e : batch) {
      shipped.inc();
      acks.acked(name(), e);
    }
  }
}
