package io.swarmscope.shipper.output.logstash;

import java.util.Arrays;

/** Cutting UTF-8 byte strings without splitting a character. */
public final class Utf8 {

  private Utf8() {}

  /**
   * The longest prefix of {@code bytes} of at most {@code max} bytes that ends on a character
   * boundary: the cut never leaves the first bytes of a multi-byte sequence behind. Returns
   * {@code bytes} itself when it fits.
   */
  public static byte[] truncate(byte[] bytes, int max) {
    if (bytes.length <= max) {
      return bytes;
    }
    int cut = max;
    // bytes[cut] is the first byte left out; if it continues a sequence (10xxxxxx), that
    // sequence started before the cut: leave all of it out.
    while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return Arrays.copyOf(bytes, cut);
  }
}
