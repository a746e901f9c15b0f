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
   * {@code text} with each line feed as the two characters {@code \n} and each carriage return
   * as {@code \r} when {@code escapeNewlines} (so that a multiline event stays one
   * newline-delimited frame), as UTF-8.
   */
  static byte[] message(String text, boolean escapeNewlines) {
    if (escapeNewlines && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)) {
      StringBuilder sb = new StringBuilder(text.length() + 16);
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
      text = sb.toString();
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The civil date of a day since the epoch (proleptic Gregorian), packed as
   * {@code year * 10000 + month * 100 + day}; H. Hinnant's {@code civil_from_days}, no allocation.
   */
  static long civil(long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return y * 10_000 + m * 100 + d;
  }
}
