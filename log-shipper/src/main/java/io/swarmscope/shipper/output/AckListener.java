package io.swarmscope.shipper.output;

import io.swarmscope.shipper.pipeline.LogEvent;

/**
 * Told by an output when it is done with events: stored, refused as a duplicate, or dropped
 * for a permanent reason (counted by the output). Called in the order the events were sent.
 */
@FunctionalInterface
public interface AckListener {
  void acked(String output, LogEvent event);
}
