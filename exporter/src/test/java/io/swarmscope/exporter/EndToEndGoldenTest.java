package io.swarmscope.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.host.KernelClock;
import io.swarmscope.exporter.host.StatFs;
import io.swarmscope.exporter.it.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exporter end to end on the fixture host tree under {@code src/test/resources/fixtures}:
 * started with node_exporter-style path flags, scraped over HTTP, compared with
 * {@code src/test/resources/fixtures/e2e-output.txt}. Only per-scrape durations and the build
 * info (Java version) are left out of the comparison; the fixture tree's absolute path (in
 * textfile labels) is written as {@code FIXTURES}.
 *
 * <p>After an intended change, regenerate the golden file with
 * {@code ./mvnw -pl exporter -am test -Dtest=EndToEndGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 * and review the diff.
 */
class EndToEndGoldenTest {

  static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  static final Path GOLDEN = FIXTURES.resolve("e2e-output.txt");

  /** statfs answers derived from the mount point, so every filesystem gets distinct numbers. */
  static final StatFs FAKE_STATFS = mountPoint -> {
    if (mountPoint.toString().endsWith("/mnt/broken")) {
      throw new java.io.IOException("permission denied");
    }
    long seed = Math.abs(mountPoint.getFileName() == null ? 7 : mountPoint.getFileName().toString().hashCode() % 1000) + 1;
    return new StatFs.Result(4096, seed * 1000, seed * 400, seed * 300, seed * 64, seed * 32);
  };

  static final Instant TEXTFILE_MTIME = Instant.parse("2026-11-23T11:45:00Z");

  /** adjtimex as an NTP-synchronised host reports it (STA_PLL | STA_NANO), with distinct values. */
  static final KernelClock.Timex FIXED_TIMEX = new KernelClock.Timex(0, -183_000, 1_234_567,
      48_500, 1_250, 0x2001, 7, 10_000, 0, 0, 0, 0, 0, 0, 0, 0, 37);

  @Test
  void metricsMatchTheGoldenFile() throws Exception {
    Path base = FIXTURES.toAbsolutePath();
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--path.procfs=" + base.resolve("proc"), "--path.sysfs=" + base.resolve("sys"),
        "--path.rootfs=" + base.resolve("root"), "--docker.host=",
        "--collector.textfile.directory=" + base.resolve("textfile"));
    // Checkouts set file times to the checkout's; the golden file holds fixed ones.
    try (var files = Files.list(base.resolve("textfile"))) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(TEXTFILE_MTIME));
      }
    }
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00.5Z"), ZoneOffset.UTC);
    try (Exporter exporter = Exporter.start(flags,
        new CollectorContext(flags.paths(), clock, FAKE_STATFS, () -> FIXED_TIMEX, flags.options()))) {
      String body = TestEnvironment.scrape("http://127.0.0.1:" + exporter.port() + "/metrics",
          Duration.ofSeconds(10));
      String stable = body.lines()
          .filter(l -> !l.contains("node_scrape_collector_duration_seconds"))
          .filter(l -> !l.contains("swarmscope_exporter_build_info"))
          .map(l -> l.replace(base.toString(), "FIXTURES"))
          .collect(Collectors.joining("\n", "", "\n"));
      if (Boolean.getBoolean("golden.update")) {
        Files.writeString(GOLDEN, stable);
      }
      assertEquals(Files.readString(GOLDEN), stable);
    }
  }
}
