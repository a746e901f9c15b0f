package io.swarmscope.shipper.output.logstash;

import io.swarmscope.shipper.parse.LogLevel;
import java.util.Locale;
import java.util.Map;

/** Syslog facilities, severities and the header-field sanitising both syslog encoders share. */
public final class SyslogFields {

  /** Facility names of RFC 5424 §6.2.1 (with the usual Unix spellings) and their codes. */
  private static final Map<String, Integer> FACILITIES = Map.ofEntries(
      Map.entry("kern", 0), Map.entry("user", 1), Map.entry("mail", 2), Map.entry("daemon", 3),
      Map.entry("auth", 4), Map.entry("syslog", 5), Map.entry("lpr", 6), Map.entry("news", 7),
      Map.entry("uucp", 8), Map.entry("cron", 9), Map.entry("authpriv", 10), Map.entry("ftp", 11),
      Map.entry("ntp", 12), Map.entry("security", 13), Map.entry("console", 14),
      Map.entry("solaris-cron", 15), Map.entry("local0", 16), Map.entry("local1", 17),
      Map.entry("local2", 18), Map.entry("local3", 19), Map.entry("local4", 20),
      Map.entry("local5", 21), Map.entry("local6", 22), Map.entry("local7", 23));

  /** The default facility: {@code local0} (16), reserved for local use, so PRI = 128 + severity. */
  public static final int DEFAULT_FACILITY = 16;

  private SyslogFields() {}

  /** A facility by name ({@code local0}, {@code daemon}, ...) or number (0-23). */
  public static int facility(String nameOrCode) {
    String s = nameOrCode.trim().toLowerCase(Locale.ROOT);
    Integer code = FACILITIES.get(s);
    if (code != null) {
      return code;
    }
    try {
      int n = Integer.parseInt(s);
      if (n >= 0 && n <= 23) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw new IllegalArgumentException("unknown syslog facility '" + nameOrCode
        + "' (a name: kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, "
        + "ftp, ntp, security, console, solaris-cron, local0..local7; or a number 0-23)");
  }

  /**
   * The syslog severity of a normalised level: trace and debug 7 (debug), info and unknown 6
   * (informational), warn 4 (warning), error 3 (error), fatal 2 (critical).
   */
  public static int severity(LogLevel level) {
    return switch (level) {
      case TRACE, DEBUG -> 7;
      case INFO, UNKNOWN -> 6;
      case WARN -> 4;
      case ERROR -> 3;
      case FATAL -> 2;
    };
  }

  /** PRI = facility x 8 + severity. */
  public static int pri(int facility, LogLevel level) {
    return facility * 8 + severity(level);
  }

  /**
   * A header field as RFC 5424 wants it: printable US-ASCII without space (33-126), every other
   * character replaced by '_', cut to {@code max} characters; the NILVALUE "-" when empty.
   */
  public static String printable(String s, int max) {
    if (s == null || s.isEmpty()) {
      return "-";
    }
    int n = Math.min(s.length(), max);
    StringBuilder sb = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126) {
        if (sb == null) {
          sb = new StringBuilder(n).append(s, 0, i);
        }
        sb.append('_');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb != null ? sb.toString() : n == s.length() ? s : s.substring(0, n);
  }

  /**
   * An RFC 3164 TAG: letters, digits, '_', '-' and '.' (what syslog daemons read as a program
   * name, up to '[' or ':'), every other character replaced by '_', cut to {@code max}; "-" when
   * empty.
   */
  public static String tag(String s, int max) {
    if (s == null || s.isEmpty()) {
      return "-";
    }
    int n = Math.min(s.length(), max);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == '.';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  /**
   * Appends {@code text}, replacing each line feed with the two characters {@code \n} and each
   * carriage return with {@code \r}, so that a multiline event stays one newline-delimited frame.
   */
  static void appendEscapingNewlines(StringBuilder sb, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else {
        sb.append(c);
      }
    }
  }

  /** Appends two digits of {@code v} (0-99). */
  static void twoDigits(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
