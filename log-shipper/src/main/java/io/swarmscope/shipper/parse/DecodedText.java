package io.swarmscope.shipper.parse;

import io.swarmscope.shipper.pipeline.LineTag;
import java.util.Objects;
import java.util.Set;

/**
 * A line's bytes as text, with what {@link LineDecoder} had to do to them.
 *
 * @param text valid UTF-16, C0 control characters other than TAB escaped, cut with a marker if
 *     the line was too long
 * @param tags any of {@link LineTag#INVALID_UTF8}, {@link LineTag#CONTROL_CHARS} and {@link
 *     LineTag#TRUNCATED}; empty for the common clean line
 */
public record DecodedText(String text, Set<LineTag> tags) {

  public DecodedText {
    Objects.requireNonNull(text, "text");
    tags = Set.copyOf(tags);
  }
}
