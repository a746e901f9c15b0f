package io.swarmscope.shipper.output.logstash;

import io.swarmscope.shipper.pipeline.LogEvent;
import java.util.List;
import java.util.function.Consumer;

/** Puts a batch on the wire and tells, in order, which events are done. */
interface Sender extends AutoCloseable {

  /**
   * Sends the batch, calling {@code done} for each event in order once it is handed over (or
   * dropped for a counted reason); returns when every event is done. Retries as long as it takes.
   */
  void deliver(List<LogEvent> batch, Consumer<LogEvent> done) throws InterruptedException;

  @Override
  void close();
}
