package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.swarmscope.exporter.collector.PrometheusTextParser.ParsedFamily;
import io.swarmscope.exporter.collector.PrometheusTextParser.Sample;
import io.swarmscope.exporter.collector.PrometheusTextParser.Type;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * node_exporter's {@code textfile} collector: the metrics of every {@code *.prom} file in
 * {@code --collector.textfile.directory}, written by cron and backup jobs, plus
 * {@code node_textfile_mtime_seconds{file}} for each file read and {@code node_textfile_scrape_error}.
 *
 * <p>As in node_exporter 1.5: a file that cannot be read or parsed, or that carries timestamps, is
 * skipped whole, logged, and sets the error gauge; the other files and the scrape go on. Families
 * of the same name from several files are merged; a family without HELP gets "Metric read from
 * &lt;files&gt;"; series lacking some of the family's labels get them empty.
 *
 * <p>A family whose exposed names clash with the exporter's own (for example a file that writes
 * {@code node_load1}) is rejected: node_exporter drops one side at random when its registry
 * detects the clash; here the exporter's series win, the file's family is logged and dropped, and
 * the error gauge is set so that the drop is visible. Families from different files whose types
 * disagree are handled the same way. This collector must therefore run after all others (last in
 * {@link CollectorCatalog}): it sees their families in {@code out}.
 *
 * <p>Differences from node_exporter that the metrics model forces: client_java exposes every
 * counter with a {@code _total} suffix, so a counter whose name lacks it keeps its name and is
 * exposed as untyped; histogram {@code le} and summary {@code quantile} labels are printed by
 * client_java (e.g. {@code le="1.0"} where Go prints {@code le="1"}).
 */
public final class TextfileCollector implements Collector {

  private static final Logger log = LoggerFactory.getLogger(TextfileCollector.class);

  /** Families the exporter adds outside the collectors; a file may not use these names either. */
  static final Set<String> RESERVED = Set.of("node_textfile_mtime_seconds", "node_textfile_scrape_error",
      "node_scrape_collector_duration_seconds", "node_scrape_collector_success",
      "swarmscope_exporter_build_info");

  /** node_exporter's flag, {@code --collector.textfile.directory}. */
  public static final String DIRECTORY_OPTION = "collector.textfile.directory";

  private final Path directory;

  /** @param directory the directory to read, or {@code null} for none (only the error gauge, 0) */
  public TextfileCollector(Path directory) {
    this.directory = directory;
  }

  /** A family merged from the files that define it. */
  private static final class Merged {
    final String name;
    final Type type;
    String help;
    final List<String> files = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();

    Merged(String name, Type type) {
      this.name = name;
      this.type = type;
    }
  }

  @Override
  public void collect(List<MetricSnapshot> out) {
    boolean errored = false;
    Map<String, Merged> merged = new TreeMap<>();
    Map<String, Double> mtimes = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    if (directory != null) {
      try {
        files = promFiles(directory);
      } catch (IOException e) {
        errored = true;
        log.error("failed to read textfile collector directory {}: {}", directory, e.toString());
      }
    }
    for (Path file : files) {
      try {
        List<ParsedFamily> families = read(file);
        double mtime = Files.getLastModifiedTime(file).toMillis() / 1000;
        for (ParsedFamily f : families) {
          Merged m = merged.computeIfAbsent(f.name(), n -> new Merged(n, f.type()));
          if (m.type != f.type()) {
            errored = true;
            log.error("textfile {}: family {} is {} here but {} in {}; dropped from this file",
                file, f.name(), f.type(), m.type, m.files);
            continue;
          }
          if (m.help == null) {
            m.help = f.help();
          }
          m.files.add(file.toString());
          m.samples.addAll(f.samples());
        }
        mtimes.put(file.toString(), mtime);
      } catch (IOException e) {
        errored = true;
        log.error("failed to collect textfile data from {}: {}", file, e.getMessage());
      }
    }
    Set<String> taken = new HashSet<>(RESERVED);
    for (MetricSnapshot s : out) {
      taken.addAll(exposedNames(s));
    }
    for (Merged m : merged.values()) {
      MetricSnapshot snapshot;
      try {
        snapshot = toSnapshot(m);
      } catch (IllegalArgumentException e) {
        errored = true;
        log.error("textfile family {} from {} is not exportable: {}", m.name, m.files, e.getMessage());
        continue;
      }
      Set<String> names = exposedNames(snapshot);
      Set<String> clash = new TreeSet<>(names);
      clash.retainAll(taken);
      if (!clash.isEmpty()) {
        errored = true;
        log.error("textfile family {} from {} clashes with the exporter's own {}; dropped",
            m.name, m.files, clash);
        continue;
      }
      taken.addAll(names);
      out.add(snapshot);
    }
    if (!mtimes.isEmpty()) {
      Family mtime = Family.gauge("node_textfile_mtime_seconds",
          "Unixtime mtime of textfiles successfully read.", "file");
      mtimes.forEach((file, t) -> mtime.add(t, file));
      out.add(mtime.build());
    }
    out.add(Family.gauge("node_textfile_scrape_error",
        "1 if there was an error opening or reading a file, 0 otherwise").add(errored ? 1 : 0).build());
  }

  private static List<Path> promFiles(Path directory) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "*.prom")) {
      dir.forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  private static List<ParsedFamily> read(Path file) throws IOException {
    List<ParsedFamily> families = PrometheusTextParser.parse(ProcFiles.read(file));
    for (ParsedFamily f : families) {
      for (Sample s : f.samples()) {
        if (s.timestamped()) {
          throw new IOException("textfile " + file + " contains unsupported client-side timestamps,"
              + " skipping entire file");
        }
      }
    }
    return families;
  }

  /** The sample names a snapshot is written with, as client_java's text writer prints them. */
  static Set<String> exposedNames(MetricSnapshot s) {
    String name = s.getMetadata().getPrometheusName();
    if (s instanceof CounterSnapshot) {
      return Set.of(name + "_total");
    }
    if (s instanceof SummarySnapshot) {
      return Set.of(name, name + "_sum", name + "_count");
    }
    if (s instanceof HistogramSnapshot) {
      return Set.of(name + "_bucket", name + "_sum", name + "_count");
    }
    return Set.of(name);
  }

  private static MetricSnapshot toSnapshot(Merged m) {
    String help = m.help != null ? m.help : "Metric read from " + String.join(", ", m.files);
    Set<String> special = m.type == Type.SUMMARY ? Set.of("quantile")
        : m.type == Type.HISTOGRAM ? Set.of("le") : Set.of();
    List<String> labelNames = new ArrayList<>(new TreeSet<>(m.samples.stream()
        .flatMap(s -> s.labels().keySet().stream()).filter(l -> !special.contains(l)).toList()));
    return switch (m.type) {
      case GAUGE, UNTYPED, COUNTER -> simple(m, help, labelNames);
      case SUMMARY -> summary(m, help, labelNames);
      case HISTOGRAM -> histogram(m, help, labelNames);
    };
  }

  private static Labels labels(Sample s, List<String> labelNames) {
    String[] values = new String[labelNames.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = s.labels().getOrDefault(labelNames.get(i), "");
    }
    return Labels.of(labelNames.toArray(String[]::new), values);
  }

  private static MetricSnapshot simple(Merged m, String help, List<String> labelNames) {
    if (m.type == Type.COUNTER && m.name.endsWith("_total")) {
      var b = CounterSnapshot.builder().name(m.name.substring(0, m.name.length() - 6)).help(help);
      m.samples.forEach(s -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
          .value(s.value()).labels(labels(s, labelNames)).build()));
      return b.build();
    }
    if (m.type == Type.GAUGE) {
      var b = GaugeSnapshot.builder().name(m.name).help(help);
      m.samples.forEach(s -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
          .value(s.value()).labels(labels(s, labelNames)).build()));
      return b.build();
    }
    var b = UnknownSnapshot.builder().name(m.name).help(help);
    m.samples.forEach(s -> b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
        .value(s.value()).labels(labels(s, labelNames)).build()));
    return b.build();
  }

  /** Summary or histogram series, grouped by their labels without quantile or le. */
  private static final class Series {
    final TreeMap<Double, Double> points = new TreeMap<>();
    double sum = Double.NaN;
    double count = Double.NaN;
  }

  private static Map<Labels, Series> group(Merged m, List<String> labelNames, String pointLabel) {
    Map<Labels, Series> series = new LinkedHashMap<>();
    for (Sample s : m.samples) {
      Series g = series.computeIfAbsent(labels(s, labelNames), l -> new Series());
      String suffix = s.name().substring(m.name.length());
      switch (suffix) {
        case "_sum" -> g.sum = s.value();
        case "_count" -> g.count = s.value();
        default -> g.points.put(Double.parseDouble(normalise(s.labels().get(pointLabel))), s.value());
      }
    }
    return series;
  }

  private static String normalise(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "+inf", "inf", "+infinity", "infinity" -> "Infinity";
      case "-inf", "-infinity" -> "-Infinity";
      case "nan" -> "NaN";
      default -> v;
    };
  }

  private static MetricSnapshot summary(Merged m, String help, List<String> labelNames) {
    var b = SummarySnapshot.builder().name(m.name).help(help);
    group(m, labelNames, "quantile").forEach((labels, g) -> {
      List<Quantile> quantiles = new ArrayList<>();
      g.points.forEach((q, v) -> quantiles.add(new Quantile(q, v)));
      var p = SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels)
          .quantiles(Quantiles.of(quantiles));
      if (!Double.isNaN(g.count)) {
        p.count((long) g.count);
      }
      if (!Double.isNaN(g.sum)) {
        p.sum(g.sum);
      }
      b.dataPoint(p.build());
    });
    return b.build();
  }

  private static MetricSnapshot histogram(Merged m, String help, List<String> labelNames) {
    var b = HistogramSnapshot.builder().name(m.name).help(help);
    group(m, labelNames, "le").forEach((labels, g) -> {
      // Go's const histogram adds the +Inf bucket from the count when the file has none.
      if (!g.points.containsKey(Double.POSITIVE_INFINITY)) {
        g.points.put(Double.POSITIVE_INFINITY, Double.isNaN(g.count) ? 0 : g.count);
      }
      double[] bounds = new double[g.points.size()];
      long[] counts = new long[g.points.size()];
      int i = 0;
      long previous = 0;
      for (Map.Entry<Double, Double> e : g.points.entrySet()) {
        long cumulative = e.getValue().longValue();
        if (cumulative < previous) {
          throw new IllegalArgumentException("bucket counts decrease at le=" + e.getKey());
        }
        bounds[i] = e.getKey();
        counts[i++] = cumulative - previous;
        previous = cumulative;
      }
      var p = HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
          .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts));
      if (!Double.isNaN(g.sum)) {
        p.sum(g.sum);
      }
      b.dataPoint(p.build());
    });
    return b.build();
  }
}
