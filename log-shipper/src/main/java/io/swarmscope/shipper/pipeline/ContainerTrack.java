package io.swarmscope.shipper.pipeline;

import io.swarmscope.common.docker.ContainerIdentity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the shipper tracks for one followed container across its pipeline stages and outputs:
 * the identity its events carry and, per output, what was sent and not yet acknowledged (for
 * the lag gauge). Thread-safe.
 */
public final class ContainerTrack {

  private volatile ContainerIdentity identity;
  private final Map<String, PendingTimestamps> pending = new ConcurrentHashMap<>();
  private final long capacityBytes;
  private final int overheadPerLine;
  private final java.util.concurrent.atomic.AtomicLong fileBytes = new java.util.concurrent.atomic.AtomicLong();
  private volatile long newestTimestamp = Long.MIN_VALUE;
  private long windowBytes;
  private long windowTimestamp = Long.MIN_VALUE;
  private double bytesPerSecond;

  public ContainerTrack(ContainerIdentity identity) {
    this(identity, -1, 0);
  }

  /**
   * @param capacityBytes what the logging driver keeps before rotation deletes (max-size x
   *     max-file), {@code Long.MAX_VALUE} when it never rotates, -1 when unknown
   * @param overheadPerLine bytes the driver's files spend per line beyond its text
   */
  public ContainerTrack(ContainerIdentity identity, long capacityBytes, int overheadPerLine) {
    this.identity = identity;
    this.capacityBytes = capacityBytes;
    this.overheadPerLine = overheadPerLine;
  }

  /** A line of {@code bytes} written at {@code timestampNanos} (Docker's time) was read. */
  public void read(long timestampNanos, long bytes) {
    fileBytes.addAndGet(bytes + overheadPerLine);
    newestTimestamp = timestampNanos;
  }

  /**
   * How long the outputs may stay down before Docker's rotation deletes lines not yet shipped:
   * the driver's capacity over the container's write rate. The rate is measured in the lines' own
   * timestamps (bytes per second of log time), so it stays right while the shipper is behind.
   * +Inf when the driver never rotates or nothing was written; NaN when the capacity is unknown.
   * Called by one timer thread.
   */
  public synchronized double bufferHorizonSeconds() {
    long ts = newestTimestamp;
    long bytes = fileBytes.get();
    if (windowTimestamp == Long.MIN_VALUE) {
      windowTimestamp = ts;
      windowBytes = bytes;
    } else if (ts - windowTimestamp >= 5_000_000_000L) {
      bytesPerSecond = (bytes - windowBytes) / ((ts - windowTimestamp) / 1e9);
      windowTimestamp = ts;
      windowBytes = bytes;
    }
    if (capacityBytes < 0) {
      return Double.NaN;
    }
    if (capacityBytes == Long.MAX_VALUE || bytesPerSecond <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    return capacityBytes / bytesPerSecond;
  }

  public ContainerIdentity identity() {
    return identity;
  }

  /** The container was renamed: later events carry the new identity. */
  public void rename(ContainerIdentity next) {
    identity = next;
  }

  public void sent(String output, long timestampNanos) {
    pending.computeIfAbsent(output, k -> new PendingTimestamps()).add(timestampNanos);
  }

  /** The event last {@link #sent} to the output was not queued (the output is detached). */
  public void unsent(String output) {
    PendingTimestamps p = pending.get(output);
    if (p != null) {
      p.removeNewest();
    }
  }

  public void acked(String output) {
    PendingTimestamps p = pending.get(output);
    if (p != null) {
      p.removeOldest();
    }
  }

  /** Seconds between {@code nowNanos} and the oldest unacknowledged line; 0 when caught up. */
  public double lagSeconds(long nowEpochNanos) {
    long oldest = Long.MAX_VALUE;
    for (PendingTimestamps p : pending.values()) {
      oldest = Math.min(oldest, p.oldest());
    }
    return oldest == Long.MAX_VALUE ? 0 : Math.max(0, (nowEpochNanos - oldest) / 1e9);
  }

  /** Events sent to any output and not yet acknowledged. */
  public int pendingEvents() {
    int n = 0;
    for (PendingTimestamps p : pending.values()) {
      n += p.size();
    }
    return n;
  }
}
