package io.swarmscope.shipper.pipeline;

import java.util.Set;

/**
 * One physical log line after Docker's 16 KB partial messages were reassembled and the bytes
 * were decoded, without its trailing newline.
 *
 * @param position where it sits in the container's log
 * @param stream stdout, stderr or tty
 * @param text the decoded text (valid UTF-16, control characters escaped)
 * @param rawBytes how many bytes the line had in Docker's log (before any cut), for byte counters
 * @param tags what the decoder did to it
 */
public record LogLine(LogPosition position, LogStream stream, String text, long rawBytes,
    Set<LineTag> tags) {

  public LogLine {
    tags = Set.copyOf(tags);
  }
}
