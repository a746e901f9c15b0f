package io.swarmscope.shipper.output;

import io.swarmscope.shipper.pipeline.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common shape of an output: a bounded {@link EventQueue} drained by one worker thread into
 * batches, which {@link #deliver} must hand over completely (retrying as long as it takes) before
 * acknowledging them in order.
 */
public abstract class QueuedOutput implements Output {

  private static final Logger log = LoggerFactory.getLogger(QueuedOutput.class);

  private final String name;
  private final EventQueue queue;
  private final BatchPolicy batching;
  protected final AckListener acks;
  private final Thread worker;
  private volatile boolean stopping;

  /** How batches are cut: at most this many events or bytes, or after this long. */
  public record BatchPolicy(int maxEvents, long maxBytes, long lingerMillis) {}

  protected QueuedOutput(String name, long queueBytes, BatchPolicy batching, AckListener acks) {
    this.name = name;
    this.queue = new EventQueue(queueBytes);
    this.batching = batching;
    this.acks = acks;
    this.worker = Thread.ofPlatform().name("output-" + name).daemon(true).unstarted(this::run);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void send(LogEvent event) throws InterruptedException {
    queue.put(event);
  }

  @Override
  public final boolean offer(LogEvent event, long timeoutNanos) throws InterruptedException {
    return queue.offer(event, timeoutNanos);
  }

  @Override
  public final boolean hasRoom() {
    return queue.hasRoom();
  }

  @Override
  public final long queuedBytes() {
    return queue.bytes();
  }

  @Override
  public void start() {
    worker.start();
  }

  /** Hands over the whole batch, acknowledging each event; returns when all are done. */
  protected abstract void deliver(List<LogEvent> batch) throws InterruptedException;


  private void run() {
    List<LogEvent> batch = new ArrayList<>(batching.maxEvents());
    try {
      while (!stopping || queue.size() > 0) {
        batch.clear();
        int n = queue.drainTo(batch, batching.maxEvents(), batching.maxBytes(),
            TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.MILLISECONDS.toNanos(batching.lingerMillis()));
        if (n > 0) {
          deliver(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("output {} stopped on an unexpected error; events stay unacknowledged and are "
          + "re-read after a restart", name, e);
    }
  }

  @Override
  public void close(long graceMillis) {
    try {
      queue.awaitEmpty(graceMillis, TimeUnit.MILLISECONDS);
      stopping = true;
      worker.join(graceMillis);
      if (worker.isAlive()) {
        worker.interrupt();
        worker.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
