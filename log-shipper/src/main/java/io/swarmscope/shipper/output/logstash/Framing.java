package io.swarmscope.shipper.output.logstash;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * How messages are delimited on a stream (TCP, TLS), after RFC 6587: octet counting
 * ({@code LEN SP MSG}, LEN the message's length in bytes, in decimal) lets a message hold line
 * feeds; non-transparent framing ends each message with '\n', so the encoders escape line feeds
 * inside messages. UDP needs neither: one message per datagram.
 */
public enum Framing {
  OCTET_COUNTING("octet"), NEWLINE("newline");

  private final String wireName;

  Framing(String wireName) {
    this.wireName = wireName;
  }

  /** The setting's value: {@code octet} or {@code newline}. */
  public String wireName() {
    return wireName;
  }

  public static Framing of(String s) {
    for (Framing f : values()) {
      if (f.wireName.equalsIgnoreCase(s.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown framing '" + s + "' (octet or newline)");
  }

  /** Bytes the framed message takes. */
  public int framedLength(int messageLength) {
    return this == NEWLINE ? messageLength + 1 : stringSize(messageLength) + 1 + messageLength;
  }

  /** Writes {@code message} framed into {@code out}. */
  public void write(ByteBuf out, byte[] message) {
    if (this == OCTET_COUNTING) {
      out.writeCharSequence(Integer.toString(message.length), StandardCharsets.US_ASCII);
      out.writeByte(' ');
      out.writeBytes(message);
    } else {
      out.writeBytes(message);
      out.writeByte('\n');
    }
  }

  /**
   * Writes {@code event} encoded and framed into {@code out}. Newline framing encodes in place;
   * octet counting needs the length first, so the message goes through {@code scratch}.
   */
  public void write(ByteBuf out, io.swarmscope.shipper.pipeline.LogEvent event, EventEncoder encoder,
      ByteBuf scratch) {
    if (this == NEWLINE) {
      encoder.encodeTo(event, out);
      out.writeByte('\n');
    } else {
      scratch.clear();
      encoder.encodeTo(event, scratch);
      writeDecimal(out, scratch.readableBytes());
      out.writeByte(' ');
      out.writeBytes(scratch, scratch.readerIndex(), scratch.readableBytes());
    }
  }

  /** The framed message as bytes (tests, small tools). */
  public byte[] frame(byte[] message) {
    ByteBuf b = io.netty.buffer.Unpooled.buffer(framedLength(message.length));
    try {
      write(b, message);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  private static void writeDecimal(ByteBuf out, int v) {
    if (v >= 10) {
      writeDecimal(out, v / 10);
    }
    out.writeByte('0' + v % 10);
  }

  private static int stringSize(int n) {
    int digits = 1;
    while (n >= 10) {
      n /= 10;
      digits++;
    }
    return digits;
  }
}
