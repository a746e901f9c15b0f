package io.swarmscope.shipper.pipeline;

/**
 * What happened to a line on its way in, carried to the event as a tag so users can search for
 * it and the metrics can count it. Nothing tagged is dropped.
 */
public enum LineTag {
  /** Longer than the line limit: cut, with a marker saying how many bytes were cut. */
  TRUNCATED("truncated"),
  /** Bytes that were not valid UTF-8 were replaced by U+FFFD. */
  INVALID_UTF8("invalid_utf8"),
  /** NUL or other control bytes were escaped. */
  CONTROL_CHARS("control_chars"),
  /** Several physical lines grouped into one event (stack trace, continuation lines). */
  MULTILINE("multiline"),
  /** The group hit its line or byte limit and was flushed early. */
  MULTILINE_LIMIT("multiline_limit"),
  /** The document's parsed fields clashed with the index mapping; stored with them as text. */
  MAPPING_FALLBACK("mapping_fallback");

  private final String wireName;

  LineTag(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
