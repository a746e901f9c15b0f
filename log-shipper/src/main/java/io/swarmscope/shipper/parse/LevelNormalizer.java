package io.swarmscope.shipper.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a level as an application wrote it to the fixed {@link LogLevel} set.
 *
 * <p>Names are matched case-insensitively (ASCII only) after stripping surrounding whitespace:
 *
 * <ul>
 *   <li>TRACE: {@code trace finest finer verbose}, and the short forms {@code trce vrb}
 *   <li>DEBUG: {@code debug fine dbg d}, and {@code dbug}
 *   <li>INFO: {@code info information informational notice config i}, and {@code inf}
 *   <li>WARN: {@code warn warning w}, and {@code wrn}
 *   <li>ERROR: {@code error err e severe fail failure}, and {@code eror}
 *   <li>FATAL: {@code fatal critical crit panic dpanic emerg emergency alert f c}, and {@code ftl}
 * </ul>
 *
 * <p>The short forms beyond the usual names are Serilog's ({@code VRB DBG INF WRN ERR FTL}) and
 * log15's / go-ethereum's ({@code TRCE DBUG EROR}), which are common enough in containers.
 *
 * <p>Numbers are bunyan's and pino's levels: exactly 10, 20, 30, 40, 50 and 60 (as numbers or as
 * strings of digits). Anything else, syslog's 0–7 included, is {@link LogLevel#UNKNOWN}: a bare
 * small number is too ambiguous to guess.
 *
 * <p>Lookups of names do not allocate (no lower-casing: the table compares ignoring ASCII case;
 * {@link String#strip()} returns the same string when there is nothing to strip). Thread-safe.
 */
public final class LevelNormalizer {

  private static final Map<String, LogLevel> BY_NAME =
      new TreeMap<>(LevelNormalizer::compareIgnoringAsciiCase);

  static {
    names(LogLevel.TRACE, "trace", "finest", "finer", "verbose", "trce", "vrb");
    names(LogLevel.DEBUG, "debug", "fine", "dbg", "d", "dbug");
    names(LogLevel.INFO, "info", "information", "informational", "notice", "config", "i", "inf");
    names(LogLevel.WARN, "warn", "warning", "w", "wrn");
    names(LogLevel.ERROR, "error", "err", "e", "severe", "fail", "failure", "eror");
    names(LogLevel.FATAL, "fatal", "critical", "crit", "panic", "dpanic", "emerg", "emergency",
        "alert", "f", "c", "ftl");
  }

  private LevelNormalizer() {}

  private static void names(LogLevel level, String... names) {
    for (String n : names) {
      BY_NAME.put(n, level);
    }
  }

  /** The level a name or a numeric string stands for; {@link LogLevel#UNKNOWN} for null. */
  public static LogLevel normalize(String written) {
    if (written == null) {
      return LogLevel.UNKNOWN;
    }
    String s = written.strip();
    if (s.isEmpty()) {
      return LogLevel.UNKNOWN;
    }
    if (isDigit(s.charAt(0))) {
      return s.length() <= 9 && allDigits(s) ? normalize(Integer.parseInt(s)) : LogLevel.UNKNOWN;
    }
    LogLevel l = BY_NAME.get(s);
    return l == null ? LogLevel.UNKNOWN : l;
  }

  /** bunyan's / pino's numeric level: 10 trace … 60 fatal; any other number is unknown. */
  public static LogLevel normalize(long level) {
    return switch ((int) Math.max(Math.min(level, 1000), -1)) {
      case 10 -> LogLevel.TRACE;
      case 20 -> LogLevel.DEBUG;
      case 30 -> LogLevel.INFO;
      case 40 -> LogLevel.WARN;
      case 50 -> LogLevel.ERROR;
      case 60 -> LogLevel.FATAL;
      default -> LogLevel.UNKNOWN;
    };
  }

  /**
   * A number from a JSON document: integral values (also {@code 30.0}) as {@link #normalize(long)};
   * fractions, NaN and null are unknown.
   */
  public static LogLevel normalize(Number level) {
    if (level == null) {
      return LogLevel.UNKNOWN;
    }
    if (level instanceof Integer || level instanceof Long || level instanceof Short
        || level instanceof Byte) {
      return normalize(level.longValue());
    }
    if (level instanceof BigInteger b) {
      return b.bitLength() < 32 ? normalize(b.longValue()) : LogLevel.UNKNOWN;
    }
    if (level instanceof BigDecimal d) {
      try {
        return normalize(d.intValueExact());
      } catch (ArithmeticException e) {
        return LogLevel.UNKNOWN;
      }
    }
    double d = level.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e6 ? normalize((long) d) : LogLevel.UNKNOWN;
  }

  /** A total order that ignores ASCII case only (so e.g. a dotless ı never matches an i). */
  static int compareIgnoringAsciiCase(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      int c = Character.compare(lowerAscii(a.charAt(i)), lowerAscii(b.charAt(i)));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
