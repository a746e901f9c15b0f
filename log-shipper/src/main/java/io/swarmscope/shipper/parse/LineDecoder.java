package io.swarmscope.shipper.parse;

import io.swarmscope.shipper.pipeline.LineTag;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the bytes of one reassembled log line (without its newline) into text.
 *
 * <ul>
 *   <li>One trailing {@code '\r'} (a CRLF line) is removed.
 *   <li>Bytes that are not valid UTF-8 become U+FFFD, one per malformed sequence exactly as a
 *       {@link CodingErrorAction#REPLACE REPLACE} decoder does it, and the line is tagged
 *       {@link LineTag#INVALID_UTF8}. (The decoder reports and this class substitutes, so that a
 *       replacement is known to have happened; a valid U+FFFD in the input does not tag the line.)
 *   <li>C0 control characters other than TAB (NUL, ESC of ANSI colour codes, a bare CR, ...) are
 *       written as the six characters {@code \}{@code u001b} (lower-case hex) and the line is
 *       tagged {@link LineTag#CONTROL_CHARS}. DEL and the C1 range are left alone.
 *   <li>A line longer than {@code maxLineBytes} is cut at the last UTF-8 character boundary at or
 *       before the limit, {@code " [truncated N bytes]"} is appended (N = bytes cut) and the line
 *       is tagged {@link LineTag#TRUNCATED}. The limit is on input bytes, before escaping.
 * </ul>
 *
 * <p>The common line (printable ASCII and TAB) costs one scan and a Latin-1 {@code String} copy,
 * and shares an empty tag set. Any byte sequence decodes; nothing but bad arguments throws.
 *
 * <p>Immutable and thread-safe.
 */
public final class LineDecoder {

  public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;

  private static final Set<LineTag> NO_TAGS = Set.of();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final int maxLineBytes;

  public LineDecoder() {
    this(DEFAULT_MAX_LINE_BYTES);
  }

  /** @param maxLineBytes longer lines are cut; at least 4 (one character of any length) */
  public LineDecoder(int maxLineBytes) {
    if (maxLineBytes < 4) {
      throw new IllegalArgumentException("maxLineBytes must be at least 4: " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  public int maxLineBytes() {
    return maxLineBytes;
  }

  public DecodedText decode(byte[] buf) {
    return decode(buf, 0, buf.length);
  }

  /** Decodes a whole line: {@code len} bytes from {@code off}. */
  public DecodedText decode(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len > 0 && buf[off + len - 1] == '\r') {
      len--;
    }
    return decode(buf, off, len, len, len > maxLineBytes ? maxLineBytes : len);
  }

  /**
   * Decodes a line that an earlier stage already cut to its first {@code len} bytes out of {@code
   * totalBytes} (as Docker's log reader does to bound memory). When {@code totalBytes > len} the
   * cut may have split a character: the incomplete tail is dropped (not replaced), the marker
   * counts everything not kept, and no trailing CR is removed (the line's end is not here).
   */
  public DecodedText decode(byte[] buf, int off, int len, long totalBytes) {
    if (totalBytes < len) {
      throw new IllegalArgumentException("totalBytes " + totalBytes + " < len " + len);
    }
    if (totalBytes == len) {
      return decode(buf, off, len);
    }
    Objects.checkFromIndexSize(off, len, buf.length);
    return decode(buf, off, len, totalBytes, Math.min(len, maxLineBytes));
  }

  /** @param cutAt bytes to keep at most; less than {@code total} means the line is cut */
  private DecodedText decode(byte[] buf, int off, int len, long total, int cutAt) {
    int keep = cutAt < total ? characterBoundary(buf, off, cutAt) : len;
    String text = null;
    Set<LineTag> tags = NO_TAGS;
    int end = off + keep;
    int i = off;
    // Signed bytes: >= 0x80 are negative, so this one comparison also catches non-ASCII.
    while (i < end && (buf[i] >= 0x20 || buf[i] == '\t')) {
      i++;
    }
    if (i == end) {
      text = new String(buf, off, keep, StandardCharsets.ISO_8859_1);
    } else {
      tags = EnumSet.noneOf(LineTag.class);
      text = decodeSlow(buf, off, keep, i - off, tags);
    }
    if (keep < total) {
      if (tags == NO_TAGS) {
        tags = EnumSet.noneOf(LineTag.class);
      }
      tags.add(LineTag.TRUNCATED);
      text = text + " [truncated " + (total - keep) + " bytes]";
    }
    return new DecodedText(text, tags);
  }

  /**
   * Where to cut {@code buf[off, off+cutAt)} so that no UTF-8 sequence is split: before a lead byte
   * among the last three whose sequence would not fit. Invalid bytes are left to the decoder.
   */
  static int characterBoundary(byte[] buf, int off, int cutAt) {
    for (int back = 1; back <= 3 && back <= cutAt; back++) {
      int b = buf[off + cutAt - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue;  // continuation byte: its lead is further back
      }
      int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return need > back ? cutAt - back : cutAt;
    }
    return cutAt;
  }

  /**
   * @param clean how many leading bytes are known to be printable ASCII
   */
  private static String decodeSlow(byte[] buf, int off, int len, int clean, Set<LineTag> tags) {
    boolean ascii = true;
    for (int i = off + clean, end = off + len; i < end; i++) {
      if (buf[i] < 0) {
        ascii = false;
        break;
      }
    }
    CharSequence chars;
    if (ascii) {
      chars = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    } else {
      chars = decodeUtf8(buf, off, len, tags);
    }
    return escapeControls(chars, clean, tags);
  }

  private static CharBuffer decodeUtf8(byte[] buf, int off, int len, Set<LineTag> tags) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(buf, off, len);
    // UTF-8 never yields more chars than bytes, and each replaced sequence is at least one byte.
    CharBuffer out = CharBuffer.allocate(len);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      if (r.isOverflow()) {
        out = grow(out);
        continue;
      }
      // Malformed (UTF-8 has nothing unmappable): what REPLACE does, except that we see it.
      if (!out.hasRemaining()) {
        out = grow(out);
      }
      out.put('\uFFFD');
      in.position(in.position() + r.length());
      tags.add(LineTag.INVALID_UTF8);
    }
    decoder.flush(out);  // UTF-8 keeps no state: always underflow
    return out.flip();
  }

  private static CharBuffer grow(CharBuffer out) {
    CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
    return bigger.put(out.flip());
  }

  private static String escapeControls(CharSequence chars, int from, Set<LineTag> tags) {
    int n = chars.length();
    int i = from;
    while (i < n && !isEscaped(chars.charAt(i))) {
      i++;
    }
    if (i == n) {
      return chars.toString();
    }
    tags.add(LineTag.CONTROL_CHARS);
    StringBuilder sb = new StringBuilder(n + 16);
    sb.append(chars, 0, i);
    for (; i < n; i++) {
      char c = chars.charAt(i);
      if (isEscaped(c)) {
        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isEscaped(char c) {
    return c < 0x20 && c != '\t';
  }
}
