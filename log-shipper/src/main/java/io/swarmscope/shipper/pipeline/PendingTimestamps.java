package io.swarmscope.shipper.pipeline;

/**
 * The Docker timestamps of events sent to one output and not yet acknowledged, oldest first:
 * a ring of longs (no boxing on the per-line path). Acknowledgements arrive in send order, so
 * an ack removes from the front. Thread-safe.
 */
final class PendingTimestamps {

  private long[] ring = new long[64];
  private int head;
  private int size;

  synchronized void add(long timestampNanos) {
    if (size == ring.length) {
      long[] next = new long[ring.length * 2];
      for (int i = 0; i < size; i++) {
        next[i] = ring[(head + i) % ring.length];
      }
      ring = next;
      head = 0;
    }
    ring[(head + size) % ring.length] = timestampNanos;
    size++;
  }

  synchronized void removeOldest() {
    if (size > 0) {
      head = (head + 1) % ring.length;
      size--;
      if (size == 0 && ring.length > 1024) {
        ring = new long[64];
        head = 0;
      }
    }
  }

  /** Takes back the newest entry (its event was not queued after all). */
  synchronized void removeNewest() {
    if (size > 0) {
      size--;
    }
  }

  /** The oldest pending timestamp, or {@code Long.MAX_VALUE} when nothing is pending. */
  synchronized long oldest() {
    return size == 0 ? Long.MAX_VALUE : ring[head];
  }

  synchronized int size() {
    return size;
  }
}
