package io.swarmscope.shipper.docker;

import io.swarmscope.shipper.pipeline.LogStream;

/**
 * Receives complete log lines from a {@link DockerLogDecoder}: Docker's 16 KB partial messages
 * already joined, the timestamp prefix and the trailing newline removed.
 */
@FunctionalInterface
public interface RawLineSink {

  /**
   * @param stream where the line came from
   * @param timestampNanos Docker's timestamp of the line (of its first part when it was split)
   * @param buf holds the line's bytes; valid only during the call
   * @param off start of the line in {@code buf}
   * @param len bytes kept (at most the decoder's limit)
   * @param totalBytes bytes the whole line had; more than {@code len} when it was cut
   */
  void line(LogStream stream, long timestampNanos, byte[] buf, int off, int len, long totalBytes)
      throws InterruptedException;
}
