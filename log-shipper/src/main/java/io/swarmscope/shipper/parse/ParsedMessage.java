package io.swarmscope.shipper.parse;

import java.util.Map;

/**
 * What the parser made of an event's text.
 *
 * @param message the human message: the JSON logger's message field, or the whole text
 * @param level the normalised level
 * @param originalLevel the level as written (e.g. {@code WARNING}, {@code 30}), empty if none
 * @param format how the text was read: {@code json}, {@code logfmt} or {@code text}
 * @param fields structured fields from JSON or logfmt (Jackson tree values: String, Number,
 *     Boolean, List, Map, or null), without the message and level; empty for plain text
 */
public record ParsedMessage(String message, LogLevel level, String originalLevel, String format,
    Map<String, Object> fields) {

  public ParsedMessage {
    originalLevel = originalLevel == null ? "" : originalLevel;
    fields = fields == null ? Map.of() : fields;
  }
}
