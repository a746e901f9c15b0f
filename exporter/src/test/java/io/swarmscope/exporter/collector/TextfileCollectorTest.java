package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextfileCollectorTest {

  @TempDir Path dir;

  private Path write(String name, String content, long mtimeSeconds) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeSeconds * 1000 + 250));
    return p;
  }

  private String scrape(List<MetricSnapshot> own) {
    List<MetricSnapshot> out = new ArrayList<>(own);
    new TextfileCollector(dir).collect(out);
    return Exposition.text(new MetricSnapshots(out));
  }

  @Test
  void exportsFilesMergedWithMtimesAndNoError() throws Exception {
    write("a.prom", """
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds{job="db"} 1.7e9
        jobs_run 3
        # TYPE errors_total counter
        errors_total{kind="x"} 5
        errors_total{kind="y",extra="e"} 6
        # TYPE rt summary
        rt{quantile="0.5"} 0.2
        rt{quantile="0.99"} 0.9
        rt_sum 10
        rt_count 20
        # TYPE lat histogram
        lat_bucket{le="0.5"} 1
        lat_bucket{le="1"} 3
        lat_bucket{le="+Inf"} 4
        lat_sum 2.5
        lat_count 4
        """, 1_700_000_001);
    write("b.prom", "jobs_run{host=\"b\"} 4\n", 1_700_000_002);
    write("ignored.txt", "not read 1\n", 1_700_000_003);
    String a = dir.resolve("a.prom").toString();
    String b = dir.resolve("b.prom").toString();
    assertEquals("""
        # HELP backup_last_success_timestamp_seconds Last successful backup.
        # TYPE backup_last_success_timestamp_seconds gauge
        backup_last_success_timestamp_seconds{job="db"} 1.7E9
        # HELP errors_total Metric read from A
        # TYPE errors_total counter
        errors_total{extra="",kind="x"} 5.0
        errors_total{extra="e",kind="y"} 6.0
        # HELP jobs_run Metric read from A, B
        # TYPE jobs_run untyped
        jobs_run{host=""} 3.0
        jobs_run{host="b"} 4.0
        # HELP lat Metric read from A
        # TYPE lat histogram
        lat_bucket{le="0.5"} 1
        lat_bucket{le="1.0"} 3
        lat_bucket{le="+Inf"} 4
        lat_count 4
        lat_sum 2.5
        # HELP node_textfile_mtime_seconds Unixtime mtime of textfiles successfully read.
        # TYPE node_textfile_mtime_seconds gauge
        node_textfile_mtime_seconds{file="A"} 1.700000001E9
        node_textfile_mtime_seconds{file="B"} 1.700000002E9
        # HELP node_textfile_scrape_error 1 if there was an error opening or reading a file, 0 otherwise
        # TYPE node_textfile_scrape_error gauge
        node_textfile_scrape_error 0.0
        # HELP rt Metric read from A
        # TYPE rt summary
        rt{quantile="0.5"} 0.2
        rt{quantile="0.99"} 0.9
        rt_count 20
        rt_sum 10.0
        """.replace("A", a).replace("B", b), scrape(List.of()));
  }

  @Test
  void badFilesAreSkippedAndFlaggedWithoutBreakingTheOthers() throws Exception {
    write("good.prom", "jobs_run 3\n", 1_700_000_001);
    write("garbled.prom", "bad line here\n", 1_700_000_002);
    write("stamped.prom", "ts_metric 1 1700000000000\n", 1_700_000_003);
    String text = scrape(List.of());
    assertTrue(text.contains("\njobs_run 3.0\n"), text);
    assertTrue(text.contains("node_textfile_scrape_error 1.0\n"), text);
    assertTrue(text.contains("good.prom\"} 1.700000001E9\n"), text);
    assertFalse(text.contains("garbled.prom"), text);
    assertFalse(text.contains("ts_metric"), text);
  }

  @Test
  void familiesClashingWithTheExportersOwnAreRejected() throws Exception {
    write("clash.prom", """
        node_load1 99
        node_cpu_seconds_total{cpu="0"} 1
        node_textfile_scrape_error 0
        my_metric 7
        """, 1_700_000_001);
    List<MetricSnapshot> own = List.of(
        Family.gauge("node_load1", "1m load average.").add(0.5).build(),
        Family.counter("node_cpu_seconds_total", "Seconds.", "cpu").add(10, "0").build());
    String text = scrape(own);
    assertTrue(text.contains("\nnode_load1 0.5\n"), text);
    assertFalse(text.contains("node_load1 99"), text);
    assertTrue(text.contains("node_cpu_seconds_total{cpu=\"0\"} 10.0\n"), text);
    assertTrue(text.contains("\nmy_metric 7.0\n"), text);
    assertTrue(text.contains("node_textfile_scrape_error 1.0\n"), text);
  }

  @Test
  void typeConflictBetweenFilesDropsTheLaterFamily() throws Exception {
    write("a.prom", "# TYPE m gauge\nm 1\n", 1_700_000_001);
    write("b.prom", "# TYPE m counter\nm 2\n", 1_700_000_002);
    String text = scrape(List.of());
    assertTrue(text.contains("\nm 1.0\n"), text);
    assertFalse(text.contains("m 2"), text);
    assertTrue(text.contains("node_textfile_scrape_error 1.0\n"), text);
  }

  @Test
  void counterWithoutTotalSuffixKeepsItsNameAsUntyped() throws Exception {
    write("a.prom", "# TYPE my_counter counter\nmy_counter 5\n", 1_700_000_001);
    String text = scrape(List.of());
    assertTrue(text.contains("# TYPE my_counter untyped\nmy_counter 5.0\n"), text);
  }

  @Test
  void noDirectoryExportsOnlyTheErrorGauge() {
    List<MetricSnapshot> out = new ArrayList<>();
    new TextfileCollector(null).collect(out);
    assertEquals("""
        # HELP node_textfile_scrape_error 1 if there was an error opening or reading a file, 0 otherwise
        # TYPE node_textfile_scrape_error gauge
        node_textfile_scrape_error 0.0
        """, Exposition.text(new MetricSnapshots(out)));
  }

  @Test
  void missingDirectoryIsAnErrorMetricNotAFailedScrape() {
    List<MetricSnapshot> out = new ArrayList<>();
    new TextfileCollector(dir.resolve("absent")).collect(out);
    assertTrue(Exposition.text(new MetricSnapshots(out)).contains("node_textfile_scrape_error 1.0\n"));
  }
}
