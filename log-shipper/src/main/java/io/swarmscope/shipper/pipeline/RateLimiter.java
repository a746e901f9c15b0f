package io.swarmscope.shipper.pipeline;

import java.util.function.LongSupplier;

/**
 * A rate limit of events per second for one service on this node, shared by its containers:
 * {@code rate} a second on average, at most one second's worth at once after a quiet time (a
 * token bucket, kept as its theoretical arrival time in whole nanoseconds so the count is exact).
 * Time comes from the injected clock. Thread safe.
 */
public final class RateLimiter {

  /** At most one log line per service this often while it keeps being limited. */
  static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final String service;
  private final double rate;
  private final LongSupplier nanoTime;
  /** Nanoseconds per event, and how far ahead of now the bucket may run (the burst). */
  private final long interval;
  private final long tolerance;
  /** When the next event would be due at the steady rate. */
  private long due;
  private long droppedSinceLog;
  private long lastLog = Long.MIN_VALUE;

  /**
   * @param rate events per second, > 0
   */
  public RateLimiter(String service, double rate, LongSupplier nanoTime) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate limit of service " + service
          + " must be a positive number of lines per second, got " + rate);
    }
    this.service = service;
    this.rate = rate;
    this.nanoTime = nanoTime;
    this.interval = Math.max(1, Math.round(1e9 / rate));
    this.tolerance = interval * (Math.max(1, (long) Math.floor(rate)) - 1);
    this.due = nanoTime.getAsLong();
  }

  public String service() {
    return service;
  }

  public double rate() {
    return rate;
  }

  /** Whether one more event may pass now; counts it if so. */
  public synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    long next = Math.max(due, now);
    if (next - now > tolerance) {
      droppedSinceLog++;
      return false;
    }
    due = next + interval;
    return true;
  }

  /**
   * After a refused {@link #tryAcquire}: the events dropped since the last log line when one is
   * due now (the first drop, then at most every 10 s), else 0. Resets the count it returns.
   */
  public synchronized long dropsToLog() {
    long now = nanoTime.getAsLong();
    if (droppedSinceLog == 0 || (lastLog != Long.MIN_VALUE && now - lastLog < LOG_EVERY_NANOS)) {
      return 0;
    }
    lastLog = now;
    long n = droppedSinceLog;
    droppedSinceLog = 0;
    return n;
  }
}
