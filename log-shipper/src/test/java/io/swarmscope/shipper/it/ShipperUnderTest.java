package io.swarmscope.shipper.it;

import io.swarmscope.shipper.Shipper;
import io.swarmscope.shipper.ShipperConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shipper started in this JVM with a test's settings. */
public final class ShipperUnderTest implements AutoCloseable {

  private final Shipper shipper;

  private ShipperUnderTest(Shipper shipper) {
    this.shipper = shipper;
  }

  /** Arguments shared by the tests: local engine, only the run's containers, ephemeral port. */
  public static List<String> baseArgs(Workloads w, Path checkpoints) {
    return new ArrayList<>(List.of(
        "--docker.host=unix:///var/run/docker.sock",
        "--checkpoint.dir=" + checkpoints,
        "--metrics.address=127.0.0.1:0",
        "--include.labels=" + w.includeLabel()));
  }

  /** Arguments for the Elasticsearch output into the daily indices {@code indexPrefix-*} of {@code es}. */
  public static List<String> elasticsearchArgs(ElasticsearchNode es, String indexPrefix) {
    return List.of("--outputs=elasticsearch", "--elasticsearch.url=" + es.url(),
        "--elasticsearch.index.prefix=" + indexPrefix, "--elasticsearch.batch.linger.ms=100");
  }

  public static ShipperUnderTest start(List<String> args) throws Exception {
    return new ShipperUnderTest(Shipper.start(ShipperConfig.parse(args.toArray(String[]::new), Map.of())));
  }

  public MetricsText metrics() {
    return MetricsText.scrape(shipper.metricsPort());
  }

  @Override
  public void close() {
    shipper.close();
  }
}
