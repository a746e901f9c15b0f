package io.swarmscope.shipper.pipeline;

import io.swarmscope.shipper.parse.MultilineGrouper;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * How lines become events, the same for every container.
 *
 * @param maxLineBytes longer lines are cut (with a marker) and tagged {@code truncated}
 * @param multiline whether stack traces and continuation lines are grouped
 * @param multilineStart a user's start pattern: lines matching it start a new event
 * @param multilineFlush how long a held group waits for more lines
 * @param multilineMaxLines a group is flushed at this many lines
 * @param multilineMaxBytes ... or this many bytes
 * @param outputBlock with several outputs, how long a full queue of one may hold back the others
 */
public record PipelineSettings(int maxLineBytes, boolean multiline, Optional<Pattern> multilineStart,
    Duration multilineFlush, int multilineMaxLines, int multilineMaxBytes, Duration outputBlock) {

  public static PipelineSettings defaults() {
    return new PipelineSettings(256 * 1024, true, Optional.empty(), Duration.ofMillis(500), 500,
        512 * 1024, Duration.ofSeconds(10));
  }

  MultilineGrouper newGrouper(LongSupplier nanoTime) {
    return MultilineGrouper.create(this, nanoTime);
  }
}
