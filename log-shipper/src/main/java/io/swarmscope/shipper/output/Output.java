package io.swarmscope.shipper.output;

import io.swarmscope.shipper.pipeline.LogEvent;

/**
 * Where events go. Each output has its own bounded queue and its own checkpoint: an event counts
 * as shipped by an output once the output called its {@link AckListener}.
 */
public interface Output extends AutoCloseable {

  /** The output's name in checkpoints and metrics ({@code elasticsearch}, {@code stdout}, ...). */
  String name();

  /** Queues an event; blocks while the queue is full (backpressure to the reader). */
  void send(LogEvent event) throws InterruptedException;

  /** Queues an event unless the queue stays full for {@code timeoutNanos}; false if not queued. */
  boolean offer(LogEvent event, long timeoutNanos) throws InterruptedException;

  /** Whether the queue is at most half full (a detached output may catch up again). */
  boolean hasRoom();

  /** Bytes held in the queue, for the queue gauge. */
  long queuedBytes();

  /** Starts the output's worker. */
  void start();

  /** Delivers what is queued for at most {@code graceMillis}, then stops. */
  void close(long graceMillis);

  @Override
  default void close() {
    close(5_000);
  }
}
