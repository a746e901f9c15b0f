package io.swarmscope.exporter.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;

/**
 * Test helper: a Prometheus text exposition read back into families, so two exporters' scrapes
 * can be compared by type, label names and values. Reads only what node_exporter and client_java
 * write (no timestamps, no exemplars).
 */
public final class ScrapedFamilies {

  /** One sample: its labels (sorted) and value. */
  public record Sample(Map<String, String> labels, double value) {}

  /** One family: its TYPE and its samples, keyed by metric name as exposed. */
  public record MetricFamily(String name, String type, List<Sample> samples) {
    public Set<String> labelNames() {
      Set<String> names = new TreeSet<>();
      samples.forEach(s -> names.addAll(s.labels().keySet()));
      return names;
    }

    /** The value of the sample whose labels include all of {@code match}; NaN when absent. */
    public double value(Map<String, String> match) {
      return samples.stream()
          .filter(s -> s.labels().entrySet().containsAll(match.entrySet()))
          .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }
  }

  private final Map<String, MetricFamily> families;

  private ScrapedFamilies(Map<String, MetricFamily> families) {
    this.families = families;
  }

  public Map<String, MetricFamily> families() {
    return families;
  }

  public MetricFamily get(String name) {
    return families.get(name);
  }

  public static ScrapedFamilies parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, MetricFamily> families = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ");
        types.put(f[2], f[3]);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      Map<String, String> labels = brace >= 0 && brace < space
          ? parseLabels(line.substring(brace + 1, line.lastIndexOf('}'))) : Map.of();
      double value = parseValue(line.substring(space + 1).trim());
      String family = familyOf(name, types);
      families.computeIfAbsent(name, n -> new MetricFamily(n, types.getOrDefault(family, "untyped"),
          new ArrayList<>())).samples().add(new Sample(labels, value));
    }
    return new ScrapedFamilies(families);
  }

  private static String familyOf(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : List.of("_total", "_bucket", "_count", "_sum", "_created", "_info")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return sample;
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  private static Map<String, String> parseLabels(String body) {
    Map<String, String> labels = new TreeMap<>();
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf('=', i);
      String key = body.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // skip ="
      while (body.charAt(j) != '"') {
        char c = body.charAt(j);
        if (c == '\\') {
          char n = body.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < body.length() && body.charAt(i) == ',') {
        i++;
      }
    }
    return labels;
  }
}
