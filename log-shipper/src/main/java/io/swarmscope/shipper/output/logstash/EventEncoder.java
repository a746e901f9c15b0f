package io.swarmscope.shipper.output.logstash;

import io.swarmscope.shipper.pipeline.LogEvent;

/**
 * An event as one message, without transport framing: a pure function of the event (encoders
 * keep no state between calls, so one instance serves any thread).
 */
public interface EventEncoder {

  /** The message bytes (UTF-8). */
  byte[] encode(LogEvent event);

  /** Whether a message may be cut at a UTF-8 boundary to fit a datagram (false for JSON). */
  default boolean truncatable() {
    return true;
  }
}
