package io.swarmscope.shipper.output.logstash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmscope.shipper.pipeline.LogEvent;

/**
 * An event as one message, without transport framing: a function of the event alone. The syslog
 * encoders build their header in a reused buffer, so an instance is not thread-safe: one per
 * sender ({@link LogstashSettings#encoder()} makes a new one).
 */
public interface EventEncoder {

  /** Appends the message (UTF-8) to {@code out}. */
  void encodeTo(LogEvent event, ByteBuf out);

  /** The message bytes (UTF-8). */
  default byte[] encode(LogEvent event) {
    ByteBuf b = Unpooled.buffer(512);
    try {
      encodeTo(event, b);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  /** Whether a message may be cut at a UTF-8 boundary to fit a datagram (false for JSON). */
  default boolean truncatable() {
    return true;
  }
}
