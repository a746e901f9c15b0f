package io.swarmscope.shipper.parse;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an event's text as JSON, logfmt or plain text, in that order, and finds its message,
 * level and fields. Never throws on any text.
 *
 * <p><b>json</b>: the text, trimmed, is one strict JSON object (no comments, single quotes,
 * trailing commas, NaN, or anything after the closing brace). The message is the first non-null
 * of {@code message}, {@code msg}, {@code @message}, {@code log} (only when a string: in ECS
 * {@code log} is an object) and {@code text}; a non-string message (an object, a number) is kept
 * as its compact JSON text. Without any, the message is the whole text. The level is the first
 * string or number of {@code level}, {@code log.level} (a dotted key, or {@code level} inside a
 * {@code log} object, which keeps its other keys), {@code lvl}, {@code severity}, {@code
 * loglevel} and {@code levelname}, normalised by {@link LevelNormalizer}. logstash-logback-
 * encoder's {@code stack_trace} (a string) is appended to the message after a newline; when
 * there is no message field it stays a field. All other keys are the fields, in document order,
 * as plain Java values (String, Integer/Long/BigInteger, Double, Boolean, List, Map, null).
 *
 * <p><b>logfmt</b>: the whole text is at least two {@code key=value} pairs separated by
 * whitespace, keys {@code [A-Za-z_][A-Za-z0-9_.-]*}, values bare (no whitespace or quote; may be
 * empty or contain '=') or double-quoted with backslash escapes ({@code \" \\ \n \r \t \/
 * \}{@code uXXXX}; other escapes are kept as written). Message from {@code msg} or {@code
 * message}, level from {@code level}, {@code lvl} or {@code severity}; the rest are String fields.
 * A bare key without '=' makes the text plain text.
 *
 * <p><b>text</b>: the message is the whole text and the level is looked for in the first line's
 * first 120 characters. glog/klog's {@code ^[IWEF]\d{4} } prefix counts first. Otherwise the
 * first ASCII word that is one of {@code trace debug info notice warn warning error severe fatal
 * critical crit alert emerg panic} (any case) and stands as a whole word: not preceded by a letter,
 * digit or one of {@code _ . - / @ $ \}, and followed by the end, whitespace, a closing brace or
 * one of {@code ] ) > : | , ; " ' !}. Such a word counts when it is written in capitals ({@code
 * ERROR}, {@code WARN}), when it is delimited ({@code [error]}, {@code <warn>}, {@code (info)},
 * {@code "error"}), when it follows {@code level=}, {@code lvl=}, {@code severity=} or {@code
 * loglevel=}, or when it is the line's first word ({@code Error: Cannot find module}, {@code
 * warning: ...} after a timestamp).
 * Lower-case words in the middle of a sentence do not count, which avoids the common false
 * positives ({@code "printing stack trace"}, {@code "no error found"}, {@code "debug mode on"},
 * {@code "sending alert"}) at the cost of missing {@code "... failed with error"}. Capitals still
 * can be wrong ({@code "Sent ALERT to pager"} is fatal). Words such as {@code information},
 * {@code errors=0} or {@code /error} never match. A text with no level that holds a Java stack
 * trace (a line {@code \s+at ...} or {@code Caused by: ...}) or a Python traceback is an error.
 *
 * <p>Thread-safe.
 */
public final class MessageParser {

  private static final String[] MESSAGE_KEYS = {"message", "msg", "@message", "log", "text"};
  private static final String[] LEVEL_KEYS_AFTER_LOG = {"lvl", "severity", "loglevel",
      "levelname"};
  private static final String[] LOGFMT_MESSAGE_KEYS = {"msg", "message"};
  private static final String[] LOGFMT_LEVEL_KEYS = {"level", "lvl", "severity"};
  private static final String[] TEXT_LEVEL_WORDS = {"trace", "debug", "info", "notice", "warn",
      "warning", "error", "severe", "fatal", "critical", "crit", "alert", "emerg", "panic"};
  private static final String[] LEVEL_KEYS_IN_TEXT = {"level", "lvl", "severity", "loglevel"};
  private static final int TEXT_SCAN_CHARS = 120;
  private static final Pattern STACK_TRACE = Pattern.compile(
      "^(?:\\s+at \\S|Caused by: |Traceback \\(most recent call last\\):)", Pattern.MULTILINE);

  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT =
      new TypeReference<>() {};

  private final ObjectMapper mapper;
  private final ObjectReader objectReader;

  public MessageParser() {
    this.mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    this.objectReader = mapper.readerFor(OBJECT);
  }

  public ParsedMessage parse(String text) {
    if (text == null || text.isEmpty()) {
      return new ParsedMessage(text == null ? "" : text, LogLevel.UNKNOWN, "", "text", Map.of());
    }
    if (looksLikeJsonObject(text)) {
      ParsedMessage json = parseJson(text);
      if (json != null) {
        return json;
      }
    }
    ParsedMessage logfmt = parseLogfmt(text);
    if (logfmt != null) {
      return logfmt;
    }
    return parseText(text);
  }

  // ---------------------------------------------------------------- json

  private static boolean looksLikeJsonObject(String s) {
    int i = 0;
    int j = s.length() - 1;
    while (i <= j && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    while (j > i && Character.isWhitespace(s.charAt(j))) {
      j--;
    }
    return i < j && s.charAt(i) == '{' && s.charAt(j) == '}';
  }

  private ParsedMessage parseJson(String text) {
    LinkedHashMap<String, Object> fields;
    try {
      fields = objectReader.readValue(text);
    } catch (JacksonException | RuntimeException e) {
      return null;  // not strict JSON: logfmt or text
    }
    if (fields == null) {
      return null;
    }
    String message = null;
    for (String key : MESSAGE_KEYS) {
      Object v = fields.get(key);
      if (v == null || (key.equals("log") && !(v instanceof String))) {
        continue;
      }
      message = v instanceof String s ? s : toJson(v);
      fields.remove(key);
      break;
    }
    String originalLevel = "";
    LogLevel level = LogLevel.UNKNOWN;
    Object written = takeLevel(fields);
    if (written != null) {
      originalLevel = written.toString();
      level = written instanceof Number n ? LevelNormalizer.normalize(n)
          : LevelNormalizer.normalize((String) written);
    }
    if (message == null) {
      message = text;
    } else if (fields.get("stack_trace") instanceof String trace) {
      fields.remove("stack_trace");
      String t = stripTrailingNewlines(trace);
      if (!t.isEmpty()) {
        message = message + "\n" + t;
      }
    }
    return new ParsedMessage(message, level, originalLevel, "json",
        Collections.unmodifiableMap(fields));
  }

  /** Removes and returns the level value (a String or a Number), or null if there is none. */
  private static Object takeLevel(LinkedHashMap<String, Object> fields) {
    Object v = takeIfLevel(fields, "level");
    if (v == null) {
      v = takeIfLevel(fields, "log.level");
    }
    if (v == null && fields.get("log") instanceof Map<?, ?> log && isLevelValue(log.get("level"))) {
      v = log.remove("level");
      if (log.isEmpty()) {
        fields.remove("log");
      }
    }
    for (int i = 0; v == null && i < LEVEL_KEYS_AFTER_LOG.length; i++) {
      v = takeIfLevel(fields, LEVEL_KEYS_AFTER_LOG[i]);
    }
    return v;
  }

  private static Object takeIfLevel(Map<String, Object> fields, String key) {
    Object v = fields.get(key);
    if (!isLevelValue(v)) {
      return null;
    }
    fields.remove(key);
    return v;
  }

  private static boolean isLevelValue(Object v) {
    return v instanceof String || v instanceof Number;
  }

  private String toJson(Object v) {
    try {
      return mapper.writeValueAsString(v);
    } catch (JacksonException e) {
      return String.valueOf(v);  // plain values from the parser always serialise
    }
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  // ---------------------------------------------------------------- logfmt

  /** The text as logfmt, or null if it is not (fails at the first non-pair, usually at once). */
  static ParsedMessage parseLogfmt(String s) {
    int n = s.length();
    int i = 0;
    LinkedHashMap<String, Object> pairs = null;
    while (true) {
      while (i < n && s.charAt(i) <= ' ') {
        i++;
      }
      if (i == n) {
        break;
      }
      int keyStart = i;
      if (!isKeyStart(s.charAt(i))) {
        return null;
      }
      i++;
      while (i < n && isKeyPart(s.charAt(i))) {
        i++;
      }
      if (i == n || s.charAt(i) != '=') {
        return null;
      }
      String key = s.substring(keyStart, i);
      i++;
      String value;
      if (i < n && s.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        i = readQuoted(s, i + 1, sb);
        if (i < 0 || (i < n && s.charAt(i) > ' ')) {
          return null;  // unterminated, or something glued to the closing quote
        }
        value = sb.toString();
      } else {
        int valueStart = i;
        while (i < n && s.charAt(i) > ' ') {
          if (s.charAt(i) == '"') {
            return null;
          }
          i++;
        }
        value = s.substring(valueStart, i);
      }
      if (pairs == null) {
        pairs = new LinkedHashMap<>();
      }
      pairs.put(key, value);
    }
    if (pairs == null || pairs.size() < 2) {
      return null;
    }
    String message = s;
    for (String k : LOGFMT_MESSAGE_KEYS) {
      if (pairs.containsKey(k)) {
        message = (String) pairs.remove(k);
        break;
      }
    }
    String originalLevel = "";
    for (String k : LOGFMT_LEVEL_KEYS) {
      if (pairs.containsKey(k)) {
        originalLevel = (String) pairs.remove(k);
        break;
      }
    }
    return new ParsedMessage(message, LevelNormalizer.normalize(originalLevel), originalLevel,
        "logfmt", Collections.unmodifiableMap(pairs));
  }

  /** Reads after an opening quote into {@code sb}; the index after the closing quote, or -1. */
  private static int readQuoted(String s, int i, StringBuilder sb) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i == n) {
        return -1;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int cp = i + 4 <= n ? hex4(s, i) : -1;
          if (cp < 0) {
            sb.append('\\').append('u');
          } else {
            sb.append((char) cp);
            i += 4;
          }
        }
        default -> sb.append('\\').append(e);
      }
    }
    return -1;
  }

  private static int hex4(String s, int i) {
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private static boolean isKeyStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isKeyPart(char c) {
    return isKeyStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
  }

  // ---------------------------------------------------------------- text

  private static ParsedMessage parseText(String text) {
    String written = textLevel(text);
    LogLevel level;
    if (written != null) {
      level = LevelNormalizer.normalize(written);
    } else {
      written = "";
      level = text.indexOf('\n') >= 0 && STACK_TRACE.matcher(text).find() ? LogLevel.ERROR
          : LogLevel.UNKNOWN;
    }
    return new ParsedMessage(text, level, written, "text", Map.of());
  }

  /** The level word of a plain text line as written, or null; see the class comment. */
  static String textLevel(String s) {
    int n = s.length();
    int newline = s.indexOf('\n');
    int lineEnd = newline < 0 ? n : newline;
    int scanEnd = Math.min(lineEnd, TEXT_SCAN_CHARS);
    if (lineEnd >= 6 && "IWEF".indexOf(s.charAt(0)) >= 0 && isDigit(s.charAt(1))
        && isDigit(s.charAt(2)) && isDigit(s.charAt(3)) && isDigit(s.charAt(4))
        && s.charAt(5) == ' ') {
      return s.substring(0, 1);
    }
    int words = 0;
    int i = 0;
    while (i < scanEnd) {
      if (!isAsciiLetter(s.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < lineEnd && isAsciiLetter(s.charAt(i))) {
        i++;
      }
      char before = start == 0 ? ' ' : s.charAt(start - 1);
      char after = i == lineEnd ? ' ' : s.charAt(i);
      if (!canPrecede(before) || !canFollow(after)) {
        continue;
      }
      if (isLevelWord(s, start, i)
          && (words == 0 || allUpper(s, start, i) || delimited(before, after)
              || afterLevelKey(s, start))) {
        return s.substring(start, i);
      }
      words++;
    }
    return null;
  }

  private static boolean isLevelWord(String s, int start, int end) {
    int len = end - start;
    for (String w : TEXT_LEVEL_WORDS) {
      if (w.length() == len && s.regionMatches(true, start, w, 0, len)) {
        return true;
      }
    }
    return false;
  }

  private static boolean canPrecede(char c) {
    return !Character.isLetterOrDigit(c) && "_.-/@$\\".indexOf(c) < 0;
  }

  private static boolean canFollow(char c) {
    return Character.isWhitespace(c) || "])>}:|,;\"'!".indexOf(c) >= 0;
  }

  private static boolean delimited(char before, char after) {
    return (before == '[' && after == ']') || (before == '<' && after == '>')
        || (before == '(' && after == ')') || (before == '"' && after == '"')
        || (before == '\'' && after == '\'');
  }

  /** Whether {@code level=} (or {@code level="}) and friends come right before {@code start}. */
  private static boolean afterLevelKey(String s, int start) {
    int eq = start - 1;
    if (eq >= 0 && s.charAt(eq) == '"') {
      eq--;
    }
    if (eq < 1 || s.charAt(eq) != '=') {
      return false;
    }
    for (String key : LEVEL_KEYS_IN_TEXT) {
      int k = eq - key.length();
      if (k >= 0 && s.regionMatches(true, k, key, 0, key.length())
          && (k == 0 || !isKeyPart(s.charAt(k - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean allUpper(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
