package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.collector.PrometheusTextParser.ParsedFamily;
import io.swarmscope.exporter.collector.PrometheusTextParser.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextParserTest {

  @Test
  void parsesTypesHelpLabelsAndEscapes() throws Exception {
    List<ParsedFamily> f = PrometheusTextParser.parse("""
        # A plain comment is ignored.
        # HELP backup_age_seconds Age of the last backup.\\nSecond line with a \\\\ backslash.
        # TYPE backup_age_seconds gauge
        backup_age_seconds{job="db",path="C:\\\\data \\"x\\"\\n"} 12.5

        jobs_run 3
        jobs_run{host="b",} -Inf
        # TYPE errors_total counter
        errors_total{ kind = "io" , } 1e3
        """);
    assertEquals(3, f.size());
    ParsedFamily gauge = f.get(0);
    assertEquals("backup_age_seconds", gauge.name());
    assertEquals(Type.GAUGE, gauge.type());
    assertEquals("Age of the last backup.\nSecond line with a \\ backslash.", gauge.help());
    assertEquals(Map.of("job", "db", "path", "C:\\data \"x\"\n"), gauge.samples().get(0).labels());
    assertEquals(12.5, gauge.samples().get(0).value());
    assertEquals(Type.UNTYPED, f.get(1).type());
    assertEquals(Double.NEGATIVE_INFINITY, f.get(1).samples().get(1).value());
    assertEquals(Map.of("kind", "io"), f.get(2).samples().get(0).labels());
    assertEquals(1000.0, f.get(2).samples().get(0).value());
  }

  @Test
  void groupsSummaryAndHistogramSamplesUnderTheirFamily() throws Exception {
    List<ParsedFamily> f = PrometheusTextParser.parse("""
        # TYPE rt summary
        rt{quantile="0.5"} 0.2
        rt_sum 10
        rt_count 20
        # TYPE lat histogram
        lat_bucket{le="1"} 3
        lat_bucket{le="+Inf"} 4
        lat_sum 2.5
        lat_count 4
        other_sum 1
        """);
    assertEquals(List.of("rt", "lat", "other_sum"), f.stream().map(ParsedFamily::name).toList());
    assertEquals(3, f.get(0).samples().size());
    assertEquals(4, f.get(1).samples().size());
  }

  @Test
  void reportsTimestamps() throws Exception {
    var f = PrometheusTextParser.parse("ts_metric 1 1700000000000\n");
    assertTrue(f.get(0).samples().get(0).timestamped());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "bad line here",
      "1metric 1",
      "m{1l=\"x\"} 1",
      "m{l=\"x\",l=\"y\"} 1",
      "m{l=\"x} 1",
      "m{l=\"\\t\"} 1",
      "m{l=x} 1",
      "m 0x10",
      "m 1d",
      "m 1 1.5",
      "m 1 2 3",
      "m",
      "m 1\nm 2",
      "# TYPE m gauge\n# TYPE m counter\nm 1",
      "# HELP m a\n# HELP m b\nm 1",
      "m 1\n# TYPE m gauge",
      "# TYPE m gauges\nm 1",
      "# TYPE m GAUGE\nm 1",
      "# TYPE s summary\ns 1",
      "# TYPE h histogram\nh_bucket 1",
      "# TYPE h histogram\nh 1",
      "# HELP m bad \\q escape\nm 1",
  })
  void rejectsMalformedInputWithTheLine(String text) {
    var e = assertThrows(PrometheusTextParser.ParseException.class, () -> PrometheusTextParser.parse(text));
    assertTrue(e.getMessage().startsWith("text format parsing error in line "), e.getMessage());
  }
}
