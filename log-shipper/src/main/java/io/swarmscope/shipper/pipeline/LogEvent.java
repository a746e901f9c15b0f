package io.swarmscope.shipper.pipeline;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.parse.ParsedMessage;

/**
 * One event on its way to the outputs: the record read from a container's log, what the parser
 * made of it, who wrote it, and its serialised ECS document.
 *
 * @param id the deterministic document id (same line, same id, across restarts and re-reads)
 * @param container the container that wrote it, with its Swarm labels
 * @param hostName the node's real hostname
 * @param record the text and its positions
 * @param parsed message, level and fields
 * @param document the ECS JSON document, serialised once for every output
 */
public record LogEvent(String id, ContainerIdentity container, String hostName, LogRecord record,
    ParsedMessage parsed, byte[] document) {

  /** What the event weighs in an output queue: its document plus a fixed overhead. */
  public int weight() {
    return document.length + 256;
  }
}
