package io.swarmscope.shipper.output;

import io.swarmscope.shipper.pipeline.LogEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue bounded by the weight (bytes) of what it holds. {@link #put} blocks while full, so a
 * slow output stops the readers, and Docker's log files hold the backlog instead of our heap.
 * One event is always accepted into an empty queue, however big.
 */
public final class EventQueue {

  private final long maxBytes;
  private final ArrayDeque<LogEvent> events = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private long bytes;

  public EventQueue(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public void put(LogEvent e) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!events.isEmpty() && bytes + e.weight() > maxBytes) {
        notFull.await();
      }
      events.addLast(e);
      bytes += e.weight();
      notEmpty.signal();
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
      while (!events.isEmpty() && bytes + e.weight() > maxBytes) {
        if (left <= 0) {
          return false;
        }
        left = notFull.awaitNanos(left);
      }
      events.addLast(e);
      bytes += e.weight();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
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
   * Moves events into {@code batch}: waits up to {@code firstWaitNanos} for the first one, then
   * up to {@code lingerNanos} more for the batch to reach {@code maxCount} events or
   * {@code maxBatchBytes}. Returns the number taken.
   */
  public int drainTo(List<LogEvent> batch, int maxCount, long maxBatchBytes, long firstWaitNanos,
      long lingerNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long wait = firstWaitNanos;
      while (events.isEmpty()) {
        if (wait <= 0) {
          return 0;
        }
        wait = notEmpty.awaitNanos(wait);
      }
      long deadline = System.nanoTime() + lingerNanos;
      int taken = 0;
      long takenBytes = 0;
      while (true) {
        while (!events.isEmpty() && taken < maxCount && takenBytes < maxBatchBytes) {
          LogEvent e = events.pollFirst();
          bytes -= e.weight();
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
      return events.size();
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
