package io.swarmscope.exporter.collector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.regex.Pattern;

/**
 * A strict parser for the Prometheus text exposition format (version 0.0.4), the format of
 * node_exporter's textfile collector. client_java 1.x only writes the format, and no maintained
 * parser for it is published for Java, so this one follows the Go reference parser
 * ({@code expfmt.TextParser}): {@code # HELP} and {@code # TYPE} lines, other comments ignored,
 * samples {@code name{label="value",...} value [timestamp]} with {@code \\}, {@code \"} and
 * {@code \n} escapes, summaries ({@code quantile}, {@code _sum}, {@code _count}) and histograms
 * ({@code _bucket} with {@code le}, {@code _sum}, {@code _count}) grouped under their family.
 *
 * <p>Any deviation fails the whole text with the line number: an invalid name, value or escape,
 * a duplicate label, a second HELP or TYPE, a TYPE after the family's samples, or the same series
 * twice. Timestamps are parsed and reported, since the textfile collector refuses them.
 *
 * <p>Stateless; each {@link #parse} call is independent.
 */
final class PrometheusTextParser {

  /** The family types of the text format. */
  enum Type { COUNTER, GAUGE, UNTYPED, SUMMARY, HISTOGRAM }

  /** One sample line; {@code labels} in the order written. */
  record Sample(String name, Map<String, String> labels, double value, boolean timestamped) {}

  /** One family: its declared type (UNTYPED when none), its help or null, its samples in order. */
  record ParsedFamily(String name, Type type, String help, List<Sample> samples) {}

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

  private PrometheusTextParser() {}

  /** A syntax or consistency error, with the 1-based line it was found on. */
  static final class ParseException extends IOException {
    ParseException(int line, String message) {
      super("text format parsing error in line " + line + ": " + message);
    }
  }

  private static final class Builder {
    final String name;
    Type type;
    String help;
    final List<Sample> samples = new ArrayList<>();
    final Set<String> series = new HashSet<>();

    Builder(String name) {
      this.name = name;
    }
  }

  static List<ParsedFamily> parse(String text) throws ParseException {
    Map<String, Builder> families = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        comment(trimmed, lineNo, families);
      } else {
        sample(trimmed, lineNo, families);
      }
    }
    List<ParsedFamily> out = new ArrayList<>();
    for (Builder b : families.values()) {
      if (b.samples.isEmpty()) {
        continue; // HELP or TYPE without samples: nothing to export, as in expfmt.
      }
      out.add(new ParsedFamily(b.name, b.type == null ? Type.UNTYPED : b.type, b.help,
          List.copyOf(b.samples)));
    }
    return out;
  }

  private static void comment(String line, int lineNo, Map<String, Builder> families)
      throws ParseException {
    String rest = line.substring(1).stripLeading();
    boolean help = rest.startsWith("HELP ") || rest.startsWith("HELP\t");
    boolean type = rest.startsWith("TYPE ") || rest.startsWith("TYPE\t");
    if (!help && !type) {
      return;
    }
    rest = rest.substring(4).stripLeading();
    int end = 0;
    while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
      end++;
    }
    String name = rest.substring(0, end);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new ParseException(lineNo, "invalid metric name in comment: \"" + name + "\"");
    }
    String arg = end < rest.length() ? rest.substring(end + 1) : "";
    Builder b = families.computeIfAbsent(name, Builder::new);
    if (help) {
      if (b.help != null) {
        throw new ParseException(lineNo, "second HELP line for metric name \"" + name + "\"");
      }
      b.help = unescapeHelp(arg, lineNo);
    } else {
      if (b.type != null) {
        throw new ParseException(lineNo, "second TYPE line for metric name \"" + name + "\"");
      }
      if (!b.samples.isEmpty()) {
        throw new ParseException(lineNo, "TYPE line for \"" + name + "\" after its samples");
      }
      try {
        b.type = Type.valueOf(arg.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParseException(lineNo, "unknown metric type \"" + arg.strip() + "\"");
      }
      if (!arg.strip().equals(arg.strip().toLowerCase(java.util.Locale.ROOT))) {
        throw new ParseException(lineNo, "unknown metric type \"" + arg.strip() + "\"");
      }
    }
  }

  private static String unescapeHelp(String s, int lineNo) throws ParseException {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= s.length()) {
        throw new ParseException(lineNo, "unfinished escape sequence in HELP");
      }
      switch (s.charAt(i)) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        default -> throw new ParseException(lineNo, "invalid escape sequence \"\\" + s.charAt(i) + "\"");
      }
    }
    return out.toString();
  }

  private static void sample(String line, int lineNo, Map<String, Builder> families)
      throws ParseException {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    String name = line.substring(0, i);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new ParseException(lineNo, "invalid metric name \"" + name + "\"");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, lineNo, labels);
    }
    String[] rest = line.substring(i).strip().split("[ \t]+");
    if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
      throw new ParseException(lineNo, "expected a value and an optional timestamp after \"" + name + "\"");
    }
    double value = value(rest[0], lineNo);
    boolean timestamped = rest.length == 2;
    if (timestamped && !TIMESTAMP.matcher(rest[1]).matches()) {
      throw new ParseException(lineNo, "expected integer as timestamp, got \"" + rest[1] + "\"");
    }
    Builder family = familyOf(name, families);
    Type type = family.type == null ? Type.UNTYPED : family.type;
    String suffix = name.substring(family.name.length());
    if (type == Type.SUMMARY && suffix.isEmpty()) {
      requireLabel(labels, "quantile", name, lineNo);
    }
    if (type == Type.HISTOGRAM && suffix.equals("_bucket")) {
      requireLabel(labels, "le", name, lineNo);
    }
    if (type == Type.HISTOGRAM && suffix.isEmpty()) {
      throw new ParseException(lineNo, "histogram sample \"" + name + "\" without a _bucket, _sum or _count suffix");
    }
    if (!family.series.add(name + labels)) {
      throw new ParseException(lineNo, "duplicate series " + name + labels);
    }
    family.samples.add(new Sample(name, labels, value, timestamped));
  }

  private static void requireLabel(Map<String, String> labels, String label, String name, int lineNo)
      throws ParseException {
    String v = labels.get(label);
    if (v == null) {
      throw new ParseException(lineNo, "\"" + name + "\" needs a " + label + " label");
    }
    value(v, lineNo);
  }

  /** The family a sample belongs to: a declared summary or histogram for suffixed names, else its own. */
  private static Builder familyOf(String name, Map<String, Builder> families) {
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (name.endsWith(suffix)) {
        Builder base = families.get(name.substring(0, name.length() - suffix.length()));
        if (base != null && (base.type == Type.HISTOGRAM
            || (base.type == Type.SUMMARY && !suffix.equals("_bucket")))) {
          return base;
        }
      }
    }
    return families.computeIfAbsent(name, Builder::new);
  }

  private static int labels(String line, int i, int lineNo, Map<String, String> labels)
      throws ParseException {
    while (true) {
      i = skipBlanks(line, i);
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < line.length() && line.charAt(i) != '=' && line.charAt(i) != '}'
          && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      String label = line.substring(start, i);
      if (!LABEL_NAME.matcher(label).matches()) {
        throw new ParseException(lineNo, "invalid label name \"" + label + "\"");
      }
      i = skipBlanks(line, i);
      if (i >= line.length() || line.charAt(i) != '=') {
        throw new ParseException(lineNo, "expected '=' after label name \"" + label + "\"");
      }
      i = skipBlanks(line, i + 1);
      if (i >= line.length() || line.charAt(i) != '"') {
        throw new ParseException(lineNo, "expected '\"' to start the value of label \"" + label + "\"");
      }
      StringBuilder value = new StringBuilder();
      i++;
      while (true) {
        if (i >= line.length()) {
          throw new ParseException(lineNo, "unterminated value of label \"" + label + "\"");
        }
        char c = line.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (i >= line.length()) {
            throw new ParseException(lineNo, "unterminated value of label \"" + label + "\"");
          }
          char e = line.charAt(i++);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> throw new ParseException(lineNo, "invalid escape sequence \"\\" + e + "\"");
          }
        } else {
          value.append(c);
        }
      }
      if (labels.put(label, value.toString()) != null) {
        throw new ParseException(lineNo, "duplicate label name \"" + label + "\"");
      }
      i = skipBlanks(line, i);
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      } else if (i >= line.length() || line.charAt(i) != '}') {
        throw new ParseException(lineNo, "expected ',' or '}' after the value of label \"" + label + "\"");
      }
    }
  }

  private static int skipBlanks(String line, int i) {
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** A float as Go's ParseFloat reads it in decimal, with Inf and NaN in any case. */
  static double value(String s, int lineNo) throws ParseException {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    if (!NUMBER.matcher(s).matches()) {
      throw new ParseException(lineNo, "expected float as value, got \"" + s + "\"");
    }
    return Double.parseDouble(s);
  }
}
