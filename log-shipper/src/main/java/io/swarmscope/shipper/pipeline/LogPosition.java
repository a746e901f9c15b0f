package io.swarmscope.shipper.pipeline;

/**
 * Where a line sits in a container's log, stable across re-reads: Docker's timestamp (nanoseconds
 * since the epoch) and the line's ordinal among the lines that carry exactly that timestamp
 * (0 for the first). Re-reading the log with {@code since=timestamp} yields the same positions,
 * which is what makes checkpoints and document ids deterministic.
 */
public record LogPosition(long timestampNanos, int ordinal) implements Comparable<LogPosition> {

  public static final LogPosition START = new LogPosition(0, -1);

  @Override
  public int compareTo(LogPosition o) {
    int c = Long.compare(timestampNanos, o.timestampNanos);
    return c != 0 ? c : Integer.compare(ordinal, o.ordinal);
  }

  public boolean isAfter(LogPosition o) {
    return compareTo(o) > 0;
  }
}
