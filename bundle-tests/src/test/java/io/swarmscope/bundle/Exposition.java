package io.swarmscope.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The samples of a Prometheus text-format scrape (comments skipped), for comparing exporters. */
final class Exposition {

  /** One sample; {@link #key} is its name with its labels sorted, i.e. the series' identity. */
  record Sample(String name, Map<String, String> labels, double value) {
    String key() {
      return name + labels;
    }
  }

  private Exposition() {}

  static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      Map<String, String> labels = new TreeMap<>();
      String name;
      int rest;
      if (brace >= 0 && (space < 0 || brace < space)) {
        name = line.substring(0, brace);
        rest = parseLabels(line, brace + 1, labels);
      } else {
        name = line.substring(0, space);
        rest = space;
      }
      String[] tail = line.substring(rest).strip().split(" ");
      out.add(new Sample(name, labels, Double.parseDouble(tail[0])));
    }
    return out;
  }

  /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
  private static int parseLabels(String line, int i, Map<String, String> labels) {
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String label = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // after ="
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(label, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }
}
