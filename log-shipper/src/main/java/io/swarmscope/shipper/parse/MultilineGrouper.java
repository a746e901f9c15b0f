package io.swarmscope.shipper.parse;

import io.swarmscope.shipper.pipeline.LineTag;
import io.swarmscope.shipper.pipeline.LogLine;
import io.swarmscope.shipper.pipeline.LogPosition;
import io.swarmscope.shipper.pipeline.LogRecord;
import io.swarmscope.shipper.pipeline.PipelineSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups one container's lines into records, so that a stack trace is one event.
 *
 * <p><b>Modes.</b> {@link Mode#DISABLED}: every line is its own record, emitted at once. {@link
 * Mode#PATTERN}: a line matching the user's start pattern ({@link Matcher#find()}, so anchor it
 * with {@code ^}) starts a record and every other line continues the current one (Filebeat's
 * {@code multiline.pattern} with {@code negate: true, match: after}). {@link Mode#AUTO}, the
 * default, recognises:
 *
 * <ul>
 *   <li>Java: a line matching {@code ^\s+at }, {@code ^\s+\.\.\. \d+ (more|common frames
 *       omitted)}, {@code ^Caused by: }, {@code ^Wrapped by: } (logback's root-cause-first) or
 *       {@code ^\s*Suppressed: } continues whatever record is held (a logger may print the
 *       exception on its message line, then the frames). A line that is an exception header
 *       ({@code java.lang.IllegalStateException: boom}, {@code Exception in thread "main" ...}: a
 *       dotted class name ending in Exception, Error or Throwable) starts a record; after a header
 *       or a frame, any line starting with a space or a tab continues it too.
 *   <li>Python: {@code Traceback (most recent call last):} starts a record; indented lines continue
 *       it and the first non-indented line ({@code KeyError: 'x'}) ends it, included. Chained
 *       tracebacks (a blank line, {@code During handling of the above exception...} or {@code The
 *       above exception was the direct cause...}, a blank line, the next traceback) stay in the
 *       same record. A blank line after a traceback is held back until the next line shows
 *       whether a chain follows; if not, it becomes its own record.
 * </ul>
 *
 * <p>The log line a logger writes before the exception (logback's {@code ERROR ... - Request
 * failed}, Python's {@code ERROR:root:...}) is its own record in AUTO mode: nothing says the
 * next line's exception belongs to it. A start pattern matching the format's timestamp (e.g.
 * {@code ^\d{4}-\d{2}-\d{2}}) groups them.
 *
 * <p>Only lines of the same {@link io.swarmscope.shipper.pipeline.LogStream} group; a line of the
 * other stream completes the held record. A record never has more than {@code maxLines} lines,
 * nor more than {@code maxBytes} bytes of UTF-8 text (counting the joining newlines) unless a
 * single line is longer: a line that would overflow it completes the held record tagged {@link
 * LineTag#MULTILINE_LIMIT} and starts the next one, which continues the same group (the rest of
 * the stack trace).
 *
 * <p><b>Latency.</b> Every line is held until the next line arrives or until {@link #flushIfIdle}
 * sees that {@code flushTimeout} passed since the last line. Emitting a plain line at once is not
 * correct in AUTO mode (frames can follow any line, see above) nor in PATTERN mode (any line can
 * be followed by a continuation), so nothing is emitted early: under load the next line completes
 * the record immediately, and at rest a record waits at most {@code flushTimeout} plus the
 * interval at which the caller calls {@code flushIfIdle} (see {@link #nanosUntilIdleFlush}). A
 * single-line record is the line's own {@link LogRecord#of(LogLine)}; nothing is copied.
 *
 * <p>Not thread-safe: one per container follower; the caller serialises {@link #offer}, {@link
 * #flushIfIdle}, {@link #flush} and {@link #discard}. Records are emitted through the consumer
 * passed to each call, after the grouper's state is updated (the consumer may call back in).
 */
public final class MultilineGrouper {

  /** How lines are grouped. */
  public enum Mode {
    /** Every line is a record of its own. */
    DISABLED,
    /** Java stack traces and Python tracebacks. */
    AUTO,
    /** A line matching the start pattern starts a record; every other line continues it. */
    PATTERN
  }

  /**
   * @param mode how lines are grouped
   * @param startPattern PATTERN mode's start pattern; null in the other modes
   * @param maxLines at most this many lines per record (at least 1)
   * @param maxBytes at most this many bytes of text per record, unless one line has more
   * @param flushTimeout how long a held record waits for its next line
   */
  public record Config(Mode mode, Pattern startPattern, int maxLines, int maxBytes,
      Duration flushTimeout) {

    public static final int DEFAULT_MAX_LINES = 500;
    public static final int DEFAULT_MAX_BYTES = 512 * 1024;
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(1);

    public Config {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(flushTimeout, "flushTimeout");
      if ((mode == Mode.PATTERN) != (startPattern != null)) {
        throw new IllegalArgumentException(
            "a start pattern goes with, and only with, PATTERN mode");
      }
      if (maxLines < 1 || maxBytes < 1) {
        throw new IllegalArgumentException("maxLines and maxBytes must be positive: " + maxLines
            + ", " + maxBytes);
      }
      if (flushTimeout.isNegative()) {
        throw new IllegalArgumentException("negative flushTimeout: " + flushTimeout);
      }
    }

    /** Stack traces and tracebacks, with the default limits and a 1 s timeout. */
    public static Config auto() {
      return new Config(Mode.AUTO, null, DEFAULT_MAX_LINES, DEFAULT_MAX_BYTES,
          DEFAULT_FLUSH_TIMEOUT);
    }

    /** No grouping. */
    public static Config disabled() {
      return new Config(Mode.DISABLED, null, DEFAULT_MAX_LINES, DEFAULT_MAX_BYTES,
          DEFAULT_FLUSH_TIMEOUT);
    }

    /** A line matching {@code start} starts a record, with the default limits and timeout. */
    public static Config startPattern(Pattern start) {
      return new Config(Mode.PATTERN, Objects.requireNonNull(start, "start"), DEFAULT_MAX_LINES,
          DEFAULT_MAX_BYTES, DEFAULT_FLUSH_TIMEOUT);
    }

    public static Config startPattern(String startRegex) {
      return startPattern(Pattern.compile(startRegex));
    }

    public Config withMaxLines(int maxLines) {
      return new Config(mode, startPattern, maxLines, maxBytes, flushTimeout);
    }

    public Config withMaxBytes(int maxBytes) {
      return new Config(mode, startPattern, maxLines, maxBytes, flushTimeout);
    }

    public Config withFlushTimeout(Duration flushTimeout) {
      return new Config(mode, startPattern, maxLines, maxBytes, flushTimeout);
    }
  }

  /** What the held record is, which decides what may continue it. */
  private enum State {
    /** A line that is not (yet) part of a stack trace. */
    PLAIN,
    /** After a Java exception header or a frame. */
    JAVA,
    /** Inside a Python traceback, before its exception line. */
    PY_TRACE,
    /** A Python traceback's exception line was seen. */
    PY_DONE,
    /** Between chained Python tracebacks. */
    PY_CHAIN,
    /** PATTERN mode. */
    PATTERN
  }

  private static final Pattern JAVA_CONTINUATION = Pattern.compile(
      "\\s+at |\\s+\\.\\.\\. \\d+ (?:more|common frames omitted)|Caused by: |Wrapped by: "
          + "|\\s*Suppressed: ");
  private static final Pattern JAVA_HEADER = Pattern.compile(
      "(?:Exception in thread \"[^\"]*+\" )?(?:[A-Za-z_$][\\w$]*+\\.)++[A-Za-z_$][\\w$]*?"
          + "(?:Exception|Error|Throwable)(?::.*+)?", Pattern.DOTALL);
  private static final String TRACEBACK = "Traceback (most recent call last):";
  private static final String DURING_HANDLING =
      "During handling of the above exception, another exception occurred:";
  private static final String DIRECT_CAUSE =
      "The above exception was the direct cause of the following exception:";

  private final Config config;
  private final LongSupplier nanoTime;
  private final long flushTimeoutNanos;
  private final Matcher javaContinuation = JAVA_CONTINUATION.matcher("");
  private final Matcher javaHeader = JAVA_HEADER.matcher("");
  private final Matcher start;

  // The held record; head == null when nothing is held.
  private LogLine head;
  private StringBuilder joined;  // null while the record has one line
  private LogPosition last;
  private int lines;
  private long rawBytes;
  private long textBytes;  // -1 until a second line needs it
  private EnumSet<LineTag> tags;  // the later lines' tags; null if none
  private State state;
  /** A blank line after a Python traceback, waiting to see whether a chain follows. */
  private LogLine heldBlank;
  private long lastArrival;

  /** @param nanoTime the clock of {@link #flushIfIdle}'s argument, e.g. {@code System::nanoTime} */
  public MultilineGrouper(Config config, LongSupplier nanoTime) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.flushTimeoutNanos = saturatedNanos(config.flushTimeout());
    this.start = config.startPattern() == null ? null : config.startPattern().matcher("");
  }

  public MultilineGrouper(Config config) {
    this(config, System::nanoTime);
  }

  /** The grouper the pipeline settings ask for. */
  public static MultilineGrouper create(PipelineSettings settings, LongSupplier nanoTime) {
    Config c = !settings.multiline() ? Config.disabled()
        : settings.multilineStart().map(Config::startPattern).orElseGet(Config::auto);
    return new MultilineGrouper(c.withMaxLines(settings.multilineMaxLines())
        .withMaxBytes(settings.multilineMaxBytes())
        .withFlushTimeout(settings.multilineFlush()), nanoTime);
  }

  public Config config() {
    return config;
  }

  /** Takes the container's next line; emits the records it completes. */
  public void offer(LogLine line, Consumer<? super LogRecord> out) {
    Objects.requireNonNull(line, "line");
    if (config.mode() == Mode.DISABLED) {
      out.accept(LogRecord.of(line));
      return;
    }
    lastArrival = nanoTime.getAsLong();
    if (heldBlank != null) {
      LogLine blank = heldBlank;
      heldBlank = null;
      if (line.stream() == blank.stream() && isPythonChain(line.text())) {
        add(blank, State.PY_CHAIN, out);
        add(line, State.PY_CHAIN, out);
        return;
      }
      emit(out, false);
      place(blank, out);
    }
    place(line, out);
  }

  /**
   * Emits the held record if no line arrived for {@code flushTimeout} before {@code nowNanos}
   * (read from the clock given to the constructor).
   *
   * @return whether something was emitted
   */
  public boolean flushIfIdle(long nowNanos, Consumer<? super LogRecord> out) {
    if (head == null || nowNanos - lastArrival < flushTimeoutNanos) {
      return false;
    }
    return flush(out);
  }

  /**
   * How long until {@link #flushIfIdle} would emit the held record (0 if it would now); {@link
   * Long#MAX_VALUE} when nothing is held.
   */
  public long nanosUntilIdleFlush(long nowNanos) {
    if (head == null) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, flushTimeoutNanos - (nowNanos - lastArrival));
  }

  /**
   * Emits whatever is held (the container stopped, its log ended).
   *
   * @return whether something was emitted
   */
  public boolean flush(Consumer<? super LogRecord> out) {
    if (head == null) {
      return false;
    }
    LogLine blank = heldBlank;
    heldBlank = null;
    emit(out, false);
    if (blank != null) {
      out.accept(LogRecord.of(blank));
    }
    return true;
  }

  /** Drops whatever is held without emitting it (the lines will be read again). */
  public void discard() {
    clear();
    heldBlank = null;
  }

  /** Whether lines are held, waiting for their next line or the timeout. */
  public boolean pending() {
    return head != null;
  }

  private void place(LogLine line, Consumer<? super LogRecord> out) {
    String t = line.text();
    if (head != null) {
      if (line.stream() == head.stream()) {
        if (state == State.PY_DONE && t.isBlank()) {
          heldBlank = line;
          return;
        }
        State next = next(t);
        if (next != null) {
          add(line, next, out);
          return;
        }
      }
      emit(out, false);
    }
    begin(line, first(t));
  }

  /** The state after {@code t} if it continues the held record, else null. */
  private State next(String t) {
    return switch (state) {
      case PLAIN -> isJavaContinuation(t) ? State.JAVA : null;
      case JAVA -> isJavaContinuation(t) || startsWithSpace(t) ? State.JAVA : null;
      case PY_TRACE -> startsWithSpace(t) ? State.PY_TRACE
          : t.isEmpty() || t.startsWith(TRACEBACK) ? null : State.PY_DONE;
      case PY_DONE -> null;
      case PY_CHAIN -> t.isBlank() ? State.PY_CHAIN
          : t.startsWith(TRACEBACK) ? State.PY_TRACE : null;
      case PATTERN -> start.reset(t).find() ? null : State.PATTERN;
    };
  }

  /** The state of a record that {@code t} starts. */
  private State first(String t) {
    if (config.mode() == Mode.PATTERN) {
      return State.PATTERN;
    }
    if (t.startsWith(TRACEBACK)) {
      return State.PY_TRACE;
    }
    return isJavaHeader(t) || isJavaContinuation(t) ? State.JAVA : State.PLAIN;
  }

  private boolean isJavaContinuation(String t) {
    if (t.isEmpty()) {
      return false;
    }
    char c = t.charAt(0);
    return (c == ' ' || c == '\t' || c == 'C' || c == 'W' || c == 'S')
        && javaContinuation.reset(t).lookingAt();
  }

  private boolean isJavaHeader(String t) {
    if (t.isEmpty()) {
      return false;
    }
    char c = t.charAt(0);
    boolean identifierStart = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
        || c == '$';
    return identifierStart && javaHeader.reset(t).matches();
  }

  private static boolean isPythonChain(String t) {
    return t.startsWith(DURING_HANDLING) || t.startsWith(DIRECT_CAUSE);
  }

  private static boolean startsWithSpace(String t) {
    return !t.isEmpty() && (t.charAt(0) == ' ' || t.charAt(0) == '\t');
  }

  private void begin(LogLine line, State s) {
    head = line;
    joined = null;
    last = line.position();
    lines = 1;
    rawBytes = line.rawBytes();
    textBytes = -1;
    tags = null;
    state = s;
  }

  /** Appends a continuation line, or starts the next part if the limits are reached. */
  private void add(LogLine line, State next, Consumer<? super LogRecord> out) {
    long bytes = utf8Length(line.text());
    if (textBytes < 0) {
      textBytes = utf8Length(head.text());
    }
    if (lines >= config.maxLines() || textBytes + 1 + bytes > config.maxBytes()) {
      emit(out, true);
      begin(line, next);
      textBytes = bytes;
      return;
    }
    if (joined == null) {
      joined = new StringBuilder(Math.max(256, head.text().length() * 4)).append(head.text());
    }
    joined.append('\n').append(line.text());
    last = line.position();
    lines++;
    rawBytes += line.rawBytes();
    textBytes += 1 + bytes;
    if (!line.tags().isEmpty()) {
      if (tags == null) {
        tags = EnumSet.noneOf(LineTag.class);
      }
      tags.addAll(line.tags());
    }
    state = next;
  }

  private void emit(Consumer<? super LogRecord> out, boolean limit) {
    if (head == null) {
      return;
    }
    LogRecord r;
    if (lines == 1 && !limit) {
      r = LogRecord.of(head);
    } else {
      EnumSet<LineTag> all = EnumSet.noneOf(LineTag.class);
      all.addAll(head.tags());
      if (tags != null) {
        all.addAll(tags);
      }
      if (lines > 1) {
        all.add(LineTag.MULTILINE);
      }
      if (limit) {
        all.add(LineTag.MULTILINE_LIMIT);
      }
      String text = joined == null ? head.text() : joined.toString();
      r = new LogRecord(head.position(), last, head.stream(), text, lines, rawBytes, all);
    }
    clear();
    out.accept(r);
  }

  private void clear() {
    head = null;
    joined = null;
    tags = null;
    last = null;
  }

  /** Bytes of {@code s} in UTF-8 (an unpaired surrogate counts as the 3 bytes of U+FFFD). */
  static long utf8Length(String s) {
    int n = s.length();
    long bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2;  // 4 bytes for the two chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
