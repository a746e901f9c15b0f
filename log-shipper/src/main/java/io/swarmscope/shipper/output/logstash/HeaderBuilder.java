package io.swarmscope.shipper.output.logstash;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable byte array the syslog encoders build a message's header in (PRI, timestamp, header
 * fields, structured data), byte by byte: on the per-event path this is cheaper than strings or
 * per-byte {@link ByteBuf} calls. Not thread-safe: one per encoder, one encoder per sender.
 */
final class HeaderBuilder {

  private byte[] buf = new byte[512];
  private int len;

  HeaderBuilder reset() {
    len = 0;
    return this;
  }

  int length() {
    return len;
  }

  /** Copies what was built into {@code out}. */
  void writeTo(ByteBuf out) {
    out.writeBytes(buf, 0, len);
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  HeaderBuilder put(char c) {
    room(1);
    buf[len++] = (byte) c;
    return this;
  }

  HeaderBuilder put(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  /** ASCII text as is (names and constants). */
  HeaderBuilder ascii(String s) {
    room(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  /** A non-negative int in decimal. */
  HeaderBuilder decimal(int v) {
    if (v >= 10) {
      decimal(v / 10);
    }
    return put((char) ('0' + v % 10));
  }

  /** Two digits of {@code v} (0-99). */
  HeaderBuilder two(int v) {
    room(2);
    buf[len++] = (byte) ('0' + v / 10);
    buf[len++] = (byte) ('0' + v % 10);
    return this;
  }

  /**
   * A header field as RFC 5424 wants it: printable US-ASCII without space (33-126), every other
   * character as '_', at most {@code max} characters; the NILVALUE "-" when empty.
   */
  HeaderBuilder printable(String s, int max) {
    return sanitised(s, max, c -> c >= 33 && c <= 126);
  }

  /**
   * An RFC 3164 TAG: letters, digits, '_', '-' and '.' (what syslog daemons read as a program
   * name, up to '[' or ':'), every other character as '_', at most {@code max} characters; "-"
   * when empty.
   */
  HeaderBuilder tag(String s, int max) {
    return sanitised(s, max, c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.');
  }

  /** At most {@code max} characters of {@code s}, those not {@code allowed} as '_'; "-" when empty. */
  private HeaderBuilder sanitised(String s, int max, java.util.function.IntPredicate allowed) {
    if (s == null || s.isEmpty()) {
      return put('-');
    }
    int n = Math.min(s.length(), max);
    room(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      buf[len++] = (byte) (allowed.test(c) ? c : '_');
    }
    return this;
  }

  /**
   * An RFC 5424 PARAM-VALUE (§6.3.3): UTF-8, {@code "}, {@code \} and {@code ]} escaped with a
   * backslash, control characters as spaces.
   */
  HeaderBuilder paramValue(String value) {
    int n = value.length();
    room(2 * n);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        StringBuilder sb = new StringBuilder(n + 8);
        for (int j = i; j < n; j++) {
          char d = value.charAt(j);
          if (d == '"' || d == '\\' || d == ']') {
            sb.append('\\');
          }
          sb.append(d < 0x20 || d == 0x7F ? ' ' : d);
        }
        return put(sb.toString().getBytes(StandardCharsets.UTF_8));
      }
      if (c == '"' || c == '\\' || c == ']') {
        buf[len++] = '\\';
      }
      buf[len++] = (byte) (c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return this;
  }
}
