package io.swarmscope.shipper.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The index a document belongs to, as a function of the line alone: {@code <prefix>-YYYY.MM.DD}
 * of the day (UTC) of the event's own Docker timestamp. The same line always maps to the same
 * index, so a {@code create} re-sent after a crash, a retry or a day boundary meets its first copy
 * and is refused with 409; a data stream or write alias would instead send it into whatever
 * backing index is current at the time of the retry.
 *
 * <p>Thread safe: each sending thread asks with its own timestamps; the last day's name is cached
 * in an immutable holder.
 */
public final class DailyIndex {

  /** The default prefix; the index template maps {@code swarmscope-logs-*}. */
  public static final String DEFAULT_PREFIX = "swarmscope-logs";
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;
  /** Lower case, no characters Elasticsearch refuses in index names, not starting with -_+. */
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final String prefix;
  private volatile Day last = new Day(Long.MIN_VALUE, null);

  private record Day(long epochDay, byte[] name) {}

  /**
   * @param prefix the index name before the date; must be covered by the index template's
   *     pattern ({@value #DEFAULT_PREFIX} or {@value #DEFAULT_PREFIX}-something)
   * @throws IllegalArgumentException for a name Elasticsearch would refuse
   */
  public DailyIndex(String prefix) {
    if (!VALID.matcher(prefix).matches() || prefix.length() > 200) {
      throw new IllegalArgumentException("index prefix '" + prefix + "' is not a valid "
          + "Elasticsearch index name start (lower case letters, digits, '.', '_', '-'; not "
          + "starting with '.', '_' or '-'; at most 200 characters)");
    }
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** The pattern that matches every index of this prefix, for searches. */
  public String pattern() {
    return prefix + "-*";
  }

  /** The index name for a line with this Docker timestamp (nanoseconds since the epoch, UTC). */
  public String name(long timestampNanos) {
    return new String(nameBytes(timestampNanos), StandardCharsets.US_ASCII);
  }

  /** As {@link #name}, as the bytes of the bulk action line (shared: do not modify). */
  byte[] nameBytes(long timestampNanos) {
    long day = Math.floorDiv(timestampNanos, NANOS_PER_DAY);
    Day d = last;
    if (d.epochDay != day) {
      LocalDate date = LocalDate.ofEpochDay(day);
      String name = String.format(Locale.ROOT, "%s-%04d.%02d.%02d", prefix, date.getYear(),
          date.getMonthValue(), date.getDayOfMonth());
      d = new Day(day, name.getBytes(StandardCharsets.US_ASCII));
      last = d;
    }
    return d.name;
  }
}
