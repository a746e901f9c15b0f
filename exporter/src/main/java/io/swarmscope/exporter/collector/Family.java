package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * One metric family being built during a scrape: a name, help text, type, fixed label names and
 * the data points added so far. Turns into an immutable client_java snapshot with {@link #build()}.
 *
 * <p>Counter names are given as exposed (with {@code _total}); client_java adds the suffix itself,
 * so it is stripped here. Not thread-safe: one scrape builds one family.
 */
public final class Family {

  /** The exposition type of a family; {@code UNTYPED} matches node_exporter's untyped series. */
  public enum Type { GAUGE, COUNTER, UNTYPED }

  private final String name;
  private final String help;
  private final Type type;
  private final String[] labelNames;
  private final List<Point> points = new ArrayList<>();

  private record Point(double value, Labels labels) {}

  private Family(Type type, String name, String help, String... labelNames) {
    this.type = type;
    this.name = type == Type.COUNTER && name.endsWith("_total")
        ? name.substring(0, name.length() - "_total".length()) : name;
    this.help = help;
    this.labelNames = labelNames.clone();
  }

  public static Family gauge(String name, String help, String... labelNames) {
    return new Family(Type.GAUGE, name, help, labelNames);
  }

  public static Family counter(String name, String help, String... labelNames) {
    return new Family(Type.COUNTER, name, help, labelNames);
  }

  public static Family untyped(String name, String help, String... labelNames) {
    return new Family(Type.UNTYPED, name, help, labelNames);
  }

  /** Adds a data point; label values are given in the order of the family's label names. */
  public Family add(double value, String... labelValues) {
    if (labelValues.length != labelNames.length) {
      throw new IllegalArgumentException(name + ": expected " + labelNames.length
          + " label values, got " + labelValues.length);
    }
    points.add(new Point(value, labelNames.length == 0 ? Labels.EMPTY : Labels.of(labelNames, labelValues)));
    return this;
  }

  /**
   * Adds a data point with ready-made labels, for families whose points differ in label names
   * (e.g. containers with and without Swarm labels). The family's own label names are ignored.
   */
  public Family add(double value, Labels labels) {
    points.add(new Point(value, labels));
    return this;
  }

  public boolean isEmpty() {
    return points.isEmpty();
  }

  /** Adds the built snapshot to {@code out} unless no data point was added. */
  public void addTo(List<MetricSnapshot> out) {
    if (!points.isEmpty()) {
      out.add(build());
    }
  }

  public MetricSnapshot build() {
    return switch (type) {
      case GAUGE -> {
        var b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(p -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .value(p.value()).labels(p.labels()).build()));
        yield b.build();
      }
      case COUNTER -> {
        var b = CounterSnapshot.builder().name(name).help(help);
        points.forEach(p -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
            .value(p.value()).labels(p.labels()).build()));
        yield b.build();
      }
      case UNTYPED -> {
        var b = UnknownSnapshot.builder().name(name).help(help);
        points.forEach(p -> b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder()
            .value(p.value()).labels(p.labels()).build()));
        yield b.build();
      }
    };
  }
}
