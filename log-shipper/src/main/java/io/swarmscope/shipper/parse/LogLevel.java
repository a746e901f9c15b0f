package io.swarmscope.shipper.parse;

/**
 * The fixed set of levels events and metrics use, so the {@code level} label's cardinality is
 * bounded whatever the applications write. The original spelling stays in the event.
 */
public enum LogLevel {
  TRACE, DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN;

  /** Lower-case name, as in {@code log.level} and the {@code level} metric label. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
