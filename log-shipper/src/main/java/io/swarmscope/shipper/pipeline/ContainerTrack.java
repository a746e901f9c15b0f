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

  public ContainerTrack(ContainerIdentity identity) {
    this.identity = identity;
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
