package io.swarmscope.shipper.docker;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses the timestamp Docker puts before each log line ({@code timestamps=1}): RFC 3339 with
 * nanoseconds, fixed width, UTC ({@code 2026-12-01T18:49:35.105189965Z}). The fixed form is
 * parsed by hand (it is on the per-line path); anything else goes through {@code java.time}.
 *
 * <p>Not thread-safe: it caches the last date it saw. One per stream reader.
 */
public final class DockerTimestamps {

  /** Length of the fixed form, without the space that follows it. */
  public static final int FIXED_LENGTH = 30;
  private static final long NANOS_PER_DAY = 86_400L * 1_000_000_000L;

  private long cachedDateKey = -1;
  private long cachedEpochDay;

  /**
   * The timestamp in {@code buf[off, off+len)} as nanoseconds since the epoch, or
   * {@code Long.MIN_VALUE} when it is not a timestamp.
   */
  public long parse(byte[] buf, int off, int len) {
    if (len == FIXED_LENGTH && buf[off + 4] == '-' && buf[off + 10] == 'T' && buf[off + 19] == '.'
        && buf[off + 29] == 'Z') {
      long v = fixed(buf, off);
      if (v != Long.MIN_VALUE) {
        return v;
      }
    }
    return general(new String(buf, off, len, java.nio.charset.StandardCharsets.US_ASCII));
  }

  private long fixed(byte[] b, int o) {
    int year = digits(b, o, 4);
    int month = digits(b, o + 5, 2);
    int day = digits(b, o + 8, 2);
    int hour = digits(b, o + 11, 2);
    int minute = digits(b, o + 14, 2);
    int second = digits(b, o + 17, 2);
    int nanos = digits(b, o + 20, 9);
    if ((year | month | day | hour | minute | second | nanos) < 0 || month < 1 || month > 12
        || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      return Long.MIN_VALUE;
    }
    long key = year * 10_000L + month * 100L + day;
    if (key != cachedDateKey) {
      try {
        cachedEpochDay = LocalDate.of(year, month, day).toEpochDay();
      } catch (java.time.DateTimeException e) {
        return Long.MIN_VALUE;
      }
      cachedDateKey = key;
    }
    return cachedEpochDay * NANOS_PER_DAY
        + ((hour * 60L + minute) * 60L + second) * 1_000_000_000L + nanos;
  }

  private static int digits(byte[] b, int o, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = b[o + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static long general(String text) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(text);
      return t.toEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  /** Docker's {@code since}/{@code until} query form: seconds and nanoseconds. */
  public static String queryForm(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
    return seconds + "." + String.format("%09d", nanos);
  }

  private static final DateTimeFormatter FIXED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** RFC 3339 with nine fraction digits in UTC, as Docker writes it. */
  public static String format(long epochNanos) {
    return FIXED.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L)));
  }
}
