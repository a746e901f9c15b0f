package io.swarmscope.shipper.docker;

import java.util.Locale;
import java.util.Map;

/**
 * How many bytes a container may write after the outputs stopped before rotation deletes a line
 * not yet shipped, at worst: {@code max-size x (max-file - 1)}. Docker keeps up to
 * {@code max-file} files, but an outage that starts just before the current file fills has only
 * the other {@code max-file - 1} files' worth of room left (0 with {@code max-file=1}, where a full
 * file is truncated). json-file without {@code max-size} never rotates (unbounded); the local
 * driver defaults to 20 MB x 5. Other drivers keep what their own store keeps: unknown.
 */
public final class LogCapacity {

  /** No rotation: nothing is deleted however long the outputs are down. */
  public static final long UNBOUNDED = Long.MAX_VALUE;
  /** The driver's retention is not Docker's (journald, dual logging): not known here. */
  public static final long UNKNOWN = -1;

  private LogCapacity() {}

  public static long of(String driver, Map<String, String> options) {
    Map<String, String> o = options == null ? Map.of() : options;
    return switch (driver) {
      case "json-file" -> o.containsKey("max-size")
          ? size(o.get("max-size")) * (count(o.getOrDefault("max-file", "1")) - 1) : UNBOUNDED;
      case "local" -> size(o.getOrDefault("max-size", "20m")) * (count(o.getOrDefault("max-file", "5")) - 1);
      default -> UNKNOWN;
    };
  }

  /** Bytes Docker's files spend per line beyond its text (JSON or protobuf framing, timestamp). */
  public static int overheadPerLine(String driver) {
    return "json-file".equals(driver) ? 70 : 40;
  }

  /** Docker's size form: {@code 10m}, {@code 1g}, {@code 512k}, {@code 1000} (bytes). */
  static long size(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
      case 'k' -> mult = 1000;
      case 'm' -> mult = 1000 * 1000;
      case 'g' -> mult = 1000L * 1000 * 1000;
      default -> { }
    }
    if (mult > 1) {
      v = v.substring(0, v.length() - 1);
    }
    return (long) (Double.parseDouble(v) * mult);
  }

  private static long count(String s) {
    return Math.max(1, Long.parseLong(s.trim()));
  }
}
