package io.swarmscope.shipper.it;

import io.swarmscope.shipper.elasticsearch.IndexSetup;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shipper's Elasticsearch integration tests share: the real engine, the shared real
 * Elasticsearch node with the index template installed, daily indices and containers of the
 * test's own, and a state directory. A test that stopped the node gets it started again.
 */
abstract class ElasticsearchShipperTest {

  protected static ElasticsearchNode es;
  protected Workloads workloads;
  /** This test's index prefix, {@code swarmscope-logs-<test>-<run>}. */
  protected String indexPrefix;
  /** The pattern of this test's daily indices. */
  protected String indices;
  @TempDir protected Path state;

  @BeforeAll
  static void elasticsearch() throws Exception {
    Workloads.requireDocker();
    es = ElasticsearchNode.shared();
    new IndexSetup(es.client()).run();
  }

  @BeforeEach
  void workloads(TestInfo info) {
    workloads = new Workloads();
    indexPrefix = "swarmscope-logs-" + info.getTestMethod().orElseThrow().getName().toLowerCase()
        + "-" + workloads.run();
    indices = indexPrefix + "-*";
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (!es.isRunning()) {
      es.start();
    }
    workloads.close();
  }

  /** Shipper arguments: this test's containers only, into this test's daily indices. */
  protected List<String> shipperArgs(Path checkpoints) {
    List<String> args = ShipperUnderTest.baseArgs(workloads, checkpoints);
    args.addAll(ShipperUnderTest.elasticsearchArgs(es, indexPrefix));
    return args;
  }
}
