package io.swarmscope.shipper.pipeline;

/** Which of the container's output streams a line came from. TTY containers have only one. */
public enum LogStream {
  STDOUT("stdout"), STDERR("stderr"), TTY("tty");

  private final String wireName;

  LogStream(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in events and metrics ({@code stdout}, {@code stderr}, {@code tty}). */
  public String wireName() {
    return wireName;
  }
}
