package io.swarmscope.shipper.pipeline;

/**
 * The document id of an event: the container id, the first line's Docker timestamp and its
 * ordinal among lines with that timestamp. A re-read of the same line gives the same id, so an
 * Elasticsearch {@code create} of a line sent twice is refused as a conflict instead of stored
 * twice. Readable on purpose: {@code <container id>-<epoch nanos>-<ordinal>}.
 */
public final class DocumentIds {

  private DocumentIds() {}

  public static String of(String containerId, LogPosition first) {
    return containerId + '-' + first.timestampNanos() + '-' + first.ordinal();
  }
}
