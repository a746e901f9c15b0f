package io.swarmscope.shipper.output.logstash;

import io.netty.buffer.ByteBuf;
import io.swarmscope.shipper.pipeline.LogEvent;

/**
 * The event's ECS document, exactly as the other outputs send it ({@link LogEvent#document()}:
 * one JSON object, never a raw line feed inside, because JSON escapes them). On TCP and TLS the
 * {@link Framing#NEWLINE newline framing} adds the '\n' that makes it a JSON line, what Logstash's
 * {@code json_lines} codec reads; over UDP each datagram holds one document without it.
 */
public final class JsonLinesEncoder implements EventEncoder {

  @Override
  public void encodeTo(LogEvent event, ByteBuf out) {
    out.writeBytes(event.document());
  }

  @Override
  public byte[] encode(LogEvent event) {
    return event.document();
  }

  /** A cut JSON document is not JSON: over UDP an oversize document is dropped, not cut. */
  @Override
  public boolean truncatable() {
    return false;
  }
}
