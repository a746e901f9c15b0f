package io.swarmscope.shipper.pipeline;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.docker.DockerTimestamps;
import io.swarmscope.shipper.docker.RawLineSink;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.output.Output;
import io.swarmscope.shipper.parse.DecodedText;
import io.swarmscope.shipper.parse.LineDecoder;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.parse.MessageParser;
import io.swarmscope.shipper.parse.MultilineGrouper;
import io.swarmscope.shipper.parse.ParsedMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages one container's lines go through, in order: skip what every output already has
 * (resume), number the lines (position), decode the bytes, group multiline records, parse,
 * serialise, and hand the event to each output that does not have it yet.
 *
 * <p>One reading thread calls {@link #line}; a timer calls {@link #flushIfIdle}. Both take the
 * pipeline's lock; the timer only tries it, so a reader blocked by a full output queue does not
 * block the timer.
 */
public final class ContainerPipeline implements RawLineSink {

  private static final Logger log = LoggerFactory.getLogger(ContainerPipeline.class);

  private final ContainerTrack track;
  private final String hostName;
  private final List<Output> outputs;
  private final ShipperMetrics metrics;
  private final LineDecoder decoder;
  private final MultilineGrouper grouper;
  private final MessageParser parser;
  private final LongSupplier nanoTime;
  private final EcsDocument ecs = new EcsDocument();
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, LogPosition> sentUpTo = new HashMap<>();
  private final Set<String> detached = new HashSet<>();
  private final long blockNanos;
  private final Consumer<LogRecord> emit = this::emit;
  private final CounterDataPoint linesRead;
  private final CounterDataPoint bytesRead;
  private final CounterDataPoint[] byLevel = new CounterDataPoint[LogLevel.values().length];
  private final Map<LineTag, CounterDataPoint> tagged = new HashMap<>();
  private final RateLimiter limiter;
  private final CounterDataPoint rateLimited;

  /** Lines, and events, up to here were counted already: re-reads do not count them again. */
  private LogPosition linesCountedUpTo;
  private LogPosition eventsCountedUpTo;
  private long lastTimestamp = Long.MIN_VALUE;
  private int ordinal;
  private boolean streamStarted;
  private long rotationGapNanos = -1;
  private InterruptedException interrupted;

  /**
   * @param checkpoints each output's acknowledged position for this container
   */
  public ContainerPipeline(ContainerTrack track, String hostName, List<Output> outputs,
      Map<String, LogPosition> checkpoints, PipelineSettings settings, ShipperMetrics metrics,
      LongSupplier nanoTime) {
    this(track, hostName, outputs, checkpoints, settings, metrics, nanoTime, null);
  }

  /**
   * @param checkpoints each output's acknowledged position for this container
   * @param limiter the rate limit of the container's service, shared with the service's other
   *     containers; null for none
   */
  public ContainerPipeline(ContainerTrack track, String hostName, List<Output> outputs,
      Map<String, LogPosition> checkpoints, PipelineSettings settings, ShipperMetrics metrics,
      LongSupplier nanoTime, RateLimiter limiter) {
    this.track = track;
    this.limiter = limiter;
    this.hostName = hostName;
    this.outputs = List.copyOf(outputs);
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.decoder = new LineDecoder(settings.maxLineBytes());
    this.grouper = settings.newGrouper(nanoTime);
    this.parser = new MessageParser();
    this.blockNanos = settings.outputBlock().toNanos();
    for (Output o : outputs) {
      sentUpTo.put(o.name(), checkpoints.getOrDefault(o.name(), LogPosition.START));
    }
    LogPosition newest = LogPosition.START;
    for (LogPosition p : sentUpTo.values()) {
      newest = p.isAfter(newest) ? p : newest;
    }
    linesCountedUpTo = newest;
    eventsCountedUpTo = newest;
    ContainerIdentity c = track.identity();
    this.linesRead = metrics.linesRead.labelValues(hostName);
    this.bytesRead = metrics.bytesRead.labelValues(hostName);
    String service = EcsDocument.serviceName(c);
    for (LogLevel l : LogLevel.values()) {
      byLevel[l.ordinal()] = metrics.lines.labelValues(c.stack(), service, hostName, l.wireName());
    }
    this.rateLimited = limiter == null ? null
        : metrics.dropped.labelValues(c.stack(), service, hostName, "rate_limited");
  }

  public ContainerTrack track() {
    return track;
  }

  /** Where to resume reading: the oldest position an output still needs after. */
  public LogPosition resumeFrom() {
    lock.lock();
    try {
      return resumeFromLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called before each (re)opened stream: positions restart from the resume point, and the first
   * line tells whether rotation removed lines after it.
   */
  public void beginStream() {
    lock.lock();
    try {
      // Docker returns every line with a timestamp >= since, so the lines sharing the resume
      // point's timestamp come again from the first: number them from 0 again.
      lastTimestamp = Long.MIN_VALUE;
      ordinal = -1;
      streamStarted = false;
      detached.clear();  // the new stream starts at the detached outputs' positions
      rotationGapNanos = -1;
    } finally {
      lock.unlock();
    }
  }

  private LogPosition resumeFromLocked() {
    LogPosition min = null;
    for (LogPosition p : sentUpTo.values()) {
      if (min == null || p.compareTo(min) < 0) {
        min = p;
      }
    }
    return min == null ? LogPosition.START : min;
  }

  /**
   * Log time (nanoseconds) between the resume point and the first line the stream had, when that
   * line was newer than the resume point's own line (which rotation deleted); -1 when no loss.
   * Valid after the stream's first line.
   */
  public long rotationGapNanos() {
    return rotationGapNanos;
  }

  @Override
  public void line(LogStream stream, long ts, byte[] buf, int off, int len, long totalBytes)
      throws InterruptedException {
    lock.lockInterruptibly();
    try {
      LogPosition from = resumeFromLocked();
      if (!streamStarted) {
        streamStarted = true;
        if (from != LogPosition.START && ts > from.timestampNanos()) {
          rotationGapNanos = ts - from.timestampNanos();
          reportRotationLoss(from, rotationGapNanos);
        }
      }
      if (ts == lastTimestamp) {
        ordinal++;
      } else if (ts > lastTimestamp) {
        lastTimestamp = ts;
        ordinal = 0;
      } else {
        // Docker never goes back in time within one log; a clock step on the host can. Keep the
        // line, numbered after the newest position so ids stay unique.
        ordinal++;
        ts = lastTimestamp;
      }
      LogPosition pos = new LogPosition(ts, ordinal);
      if (!pos.isAfter(from)) {
        return;  // every output has it already (re-read after a restart or reconnect)
      }
      if (pos.isAfter(linesCountedUpTo)) {
        linesCountedUpTo = pos;
        linesRead.inc();
        bytesRead.inc(totalBytes);
        track.read(ts, totalBytes);
      }
      DecodedText text = decoder.decode(buf, off, len, totalBytes);
      Set<LineTag> tags = text.tags();
      String t = text.text();
      for (LineTag tag : tags) {
        tagged.computeIfAbsent(tag, k -> metrics.tagged.labelValues(hostName, k.wireName())).inc();
      }
      grouper.offer(new LogLine(pos, stream, t, totalBytes, tags), emit);
      if (interrupted != null) {
        InterruptedException e = interrupted;
        interrupted = null;
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * With several outputs, one whose queue stayed full for the block timeout stops receiving this
   * container's events, so it holds the others back by at most that long. Its position stays
   * where its queue ended; once it has room again the follower re-reads from there
   * ({@link #needsCatchUp}) and it receives the lines it missed, the others skip them.
   */
  private void detach(Output o) {
    detached.add(o.name());
    metrics.outputErrors.labelValues(hostName, o.name(), "detached_slow").inc();
    log.warn("output {} kept its queue full for {} ms: container {} ({}) goes on without it; it "
        + "re-reads from {} for that output once the output has room again", o.name(),
        blockNanos / 1_000_000, track.identity().shortId(), track.identity().name(),
        DockerTimestamps.format(sentUpTo.get(o.name()).timestampNanos()));
  }

  /** Whether an output was detached and has room again: time to re-read for it. */
  public boolean needsCatchUp() {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      if (detached.isEmpty()) {
        return false;
      }
      for (Output o : outputs) {
        if (detached.contains(o.name()) && !o.hasRoom()) {
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void reportRotationLoss(LogPosition from, long gap) {
    ContainerIdentity c = track.identity();
    String service = EcsDocument.serviceName(c);
    metrics.rotationLosses.labelValues(c.stack(), service, hostName).inc();
    metrics.rotationGapSeconds.labelValues(c.stack(), service, hostName).inc(gap / 1e9);
    log.warn("container {} ({}): Docker's log rotation deleted lines before they were shipped: the "
        + "checkpoint is at {} but the oldest line Docker still has is {} s later; lines written in "
        + "between are lost. Raise the log driver's max-size/max-file or keep the outputs up (see "
        + "docs/log-shipper.md, 'Buffer horizon')", c.shortId(), c.name(),
        DockerTimestamps.format(from.timestampNanos()), String.format("%.3f", gap / 1e9));
  }

  /** Emits a group that waited longer than the flush timeout; skips if the reader is busy. */
  public void flushIfIdle() {
    if (lock.tryLock()) {
      try {
        grouper.flushIfIdle(nanoTime.getAsLong(), emit);
      } finally {
        lock.unlock();
      }
    }
  }

  /** The container stopped and its stream ended: emit what is held. */
  public void endOfLog() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      grouper.flush(emit);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The stream broke while the container runs: drop the held group unsent; the next stream
   * resumes before it, so it is read again whole.
   */
  public void abandonHeld() {
    lock.lock();
    try {
      grouper.discard();
    } finally {
      lock.unlock();
    }
  }

  private void emit(LogRecord r) {
    if (interrupted != null) {
      return;
    }
    ContainerIdentity c = track.identity();
    ParsedMessage p = parser.parse(r.text());
    if (r.last().isAfter(eventsCountedUpTo)) {
      byLevel[p.level().ordinal()].inc();
      eventsCountedUpTo = r.last();
    }
    // After the level count: the error-rate alerts still see what the limit drops.
    if (limiter != null && !limiter.tryAcquire()) {
      rateLimited.inc();
      long n = limiter.dropsToLog();
      if (n > 0) {
        log.warn("service {} is over its rate limit of {} lines/s on this node: dropped {} "
            + "event(s) (container {} {}), counted in swarmscope_log_lines_dropped_total"
            + "{{reason=\"rate_limited\"}}; at most one such line every 10 s",
            limiter.service(), limiter.rate(), n, c.shortId(), c.name());
      }
      return;
    }
    byte[] doc = ecs.serialise(c, hostName, r, p);
    LogEvent e = new LogEvent(DocumentIds.of(c.id(), r.first()), c, hostName, r, p, doc);
    for (Output o : outputs) {
      String name = o.name();
      if (detached.contains(name) || !r.last().isAfter(sentUpTo.get(name))) {
        continue;
      }
      // Pending before it is queued: an output may acknowledge it before send() returns.
      track.sent(name, r.first().timestampNanos());
      try {
        if (outputs.size() == 1) {
          o.send(e);  // nothing else to hold back: wait as long as the output needs
        } else if (!o.offer(e, blockNanos)) {
          track.unsent(name);
          detach(o);
          continue;
        }
      } catch (InterruptedException ex) {
        track.unsent(name);
        interrupted = ex;
        return;
      }
      sentUpTo.put(name, r.last());
    }
  }
}
