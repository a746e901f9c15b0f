package io.swarmscope.shipper.pipeline;

import java.util.Set;

/**
 * One event's worth of text: a single line, or several grouped by the multiline stage (a stack
 * trace). {@code first} names the event (its document id and timestamp); {@code last} is what the
 * checkpoint advances to once the event is acknowledged.
 *
 * @param first position of the first line
 * @param last position of the last line
 * @param stream the stream of the first line
 * @param text the lines joined with '\n'
 * @param lines how many physical lines
 * @param rawBytes bytes these lines had in Docker's log
 * @param tags union of the lines' tags, plus MULTILINE when {@code lines > 1}
 */
public record LogRecord(LogPosition first, LogPosition last, LogStream stream, String text,
    int lines, long rawBytes, Set<LineTag> tags) {

  public LogRecord {
    tags = Set.copyOf(tags);
  }

  public static LogRecord of(LogLine line) {
    return new LogRecord(line.position(), line.position(), line.stream(), line.text(), 1,
        line.rawBytes(), line.tags());
  }
}
