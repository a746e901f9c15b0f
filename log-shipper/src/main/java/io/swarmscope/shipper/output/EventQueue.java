package io.swarmscope.shipper.output;

import io.swarmscope.shipper.pipeline.LogEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An output's queue, bounded by the weight (bytes) of what it holds and fair between containers.
 * {@link #put} blocks while full, so a slow output stops the readers, and Docker's log files hold
 * the backlog instead of our heap. One event is always accepted into an empty queue, however big.
 *
 * <p>Fairness: one lane per container, drained round-robin (one event of each container in turn),
 * so a container that floods the queue delays another container's event by about one batch, not
 * by the whole queue. And a container holding less than its fair share (the bound over the number
 * of containers with events queued) may use a reserve of a quarter of the bound above it: the
 * flooding one keeps the queue full up to the bound and waits there, a quiet one's lines still get
 * in at once instead of racing the flood for the room each drain frees. The queue holds at most
 * 1.25 x its bound. Order within a container is kept (checkpoints and acknowledgements rely on
 * it); order between containers is not. Thread safe.
 */
public final class EventQueue {

  private final long maxBytes;
  private final long reserveBytes;
  private final Map<String, Lane> lanes = new HashMap<>();
  /** Lanes with events, in the order they are served. */
  private final ArrayDeque<Lane> ring = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private long bytes;
  private int size;

  /** One container's events, oldest first. */
  private static final class Lane {
    final String container;
    final ArrayDeque<LogEvent> events = new ArrayDeque<>();
    long bytes;

    Lane(String container) {
      this.container = container;
    }
  }

  public EventQueue(long maxBytes) {
    this.maxBytes = maxBytes;
    this.reserveBytes = maxBytes / 4;
  }

  public void put(LogEvent e) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!admits(e)) {
        notFull.await();
      }
      add(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * As {@link #put}, but gives up after {@code timeoutNanos}; false when the event was not queued.
   */
  public boolean offer(LogEvent e, long timeoutNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = timeoutNanos;
      while (!admits(e)) {
        if (left <= 0) {
          return false;
        }
        left = notFull.awaitNanos(left);
      }
      add(e);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean admits(LogEvent e) {
    if (size == 0) {
      return true;
    }
    long after = bytes + e.weight();
    if (after <= maxBytes) {
      return true;
    }
    Lane lane = lanes.get(e.container().id());
    long held = lane == null ? 0 : lane.bytes;
    int containers = lanes.size() + (lane == null ? 1 : 0);
    return after <= maxBytes + reserveBytes && held + e.weight() <= maxBytes / containers;
  }

  private void add(LogEvent e) {
    Lane lane = lanes.get(e.container().id());
    if (lane == null) {
      lane = new Lane(e.container().id());
      lanes.put(lane.container, lane);
      ring.addLast(lane);
    }
    lane.events.addLast(e);
    lane.bytes += e.weight();
    bytes += e.weight();
    size++;
    notEmpty.signal();
  }

  /** Takes the next event round-robin; the queue must not be empty. */
  private LogEvent poll() {
    Lane lane = ring.pollFirst();
    LogEvent e = lane.events.pollFirst();
    lane.bytes -= e.weight();
    if (lane.events.isEmpty()) {
      lanes.remove(lane.container);
    } else {
      ring.addLast(lane);
    }
    bytes -= e.weight();
    size--;
    return e;
  }

  /** Whether at most half of the bound is used. */
  public boolean hasRoom() {
    lock.lock();
    try {
      return bytes <= maxBytes / 2;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves events into {@code batch}, one container after the other: waits up to
   * {@code firstWaitNanos} for the first one, then up to {@code lingerNanos} more for the batch to
   * reach {@code maxCount} events or {@code maxBatchBytes}. Returns the number taken.
   */
  public int drainTo(List<LogEvent> batch, int maxCount, long maxBatchBytes, long firstWaitNanos,
      long lingerNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long wait = firstWaitNanos;
      while (size == 0) {
        if (wait <= 0) {
          return 0;
        }
        wait = notEmpty.awaitNanos(wait);
      }
      long deadline = System.nanoTime() + lingerNanos;
      int taken = 0;
      long takenBytes = 0;
      while (true) {
        while (size > 0 && taken < maxCount && takenBytes < maxBatchBytes) {
          LogEvent e = poll();
          takenBytes += e.weight();
          batch.add(e);
          taken++;
        }
        notFull.signalAll();
        long left = deadline - System.nanoTime();
        if (taken >= maxCount || takenBytes >= maxBatchBytes || left <= 0) {
          return taken;
        }
        notEmpty.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  public int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the queue is empty or {@code timeout} passed; true if empty. */
  public boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
