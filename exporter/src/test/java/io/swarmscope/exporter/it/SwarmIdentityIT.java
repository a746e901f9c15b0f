package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.docker.DockerSources;
import io.swarmscope.exporter.host.JnaStatFs;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exporter on the real engine exports the engine's Swarm node id and name as node_meta. */
class SwarmIdentityIT {

  @Test
  void nodeMetaNamesThisSwarmNode() throws Exception {
    DockerClient docker = DockerTestSupport.client();
    var info = docker.infoCmd().exec();
    String nodeId = info.getSwarm().getNodeID();
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--collector.disable-defaults", "--collector.swarm_identity");
    try (DockerSources sources = DockerSources.start(DockerTestSupport.SOCKET, flags.options());
         Exporter exporter = Exporter.start(flags, new CollectorContext(flags.paths(),
             Clock.systemUTC(), new JnaStatFs(), flags.options(), sources.view()))) {
      var scraper = new Scraper(exporter.port());
      String expected = "node_meta{container_label_com_docker_swarm_node_id=\"" + nodeId
          + "\",node_id=\"" + nodeId + "\",node_name=\"" + info.getName() + "\"} 1";
      DockerTestSupport.await("node_meta", Duration.ofSeconds(30),
          () -> scraper.scrape().contains(expected));
      assertTrue(scraper.scrape().contains(expected));
    }
  }

  @Test
  void theDockerConnectionIsExportedUpWithItsLastResyncAndDownWhenTheEngineIsUnreachable() throws Exception {
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--collector.disable-defaults", "--collector.swarm_identity");
    long before = System.currentTimeMillis();
    try (DockerSources live = DockerSources.start(DockerTestSupport.SOCKET, flags.options());
         DockerSources dead = DockerSources.start("unix:///nonexistent/docker.sock", flags.options());
         Exporter up = Exporter.start(flags, new CollectorContext(flags.paths(),
             Clock.systemUTC(), new JnaStatFs(), flags.options(), live.view()));
         Exporter down = Exporter.start(flags, new CollectorContext(flags.paths(),
             Clock.systemUTC(), new JnaStatFs(), flags.options(), dead.view()))) {
      var scraper = new Scraper(up.port());
      DockerTestSupport.await("swarmscope_docker_up 1", Duration.ofSeconds(30),
          () -> scraper.scrape().contains("swarmscope_docker_up 1.0"));
      String text = scraper.scrape();
      double resync = Double.parseDouble(text.lines()
          .filter(l -> l.startsWith("swarmscope_docker_last_resync_timestamp_seconds "))
          .findFirst().orElseThrow(() -> new AssertionError(text)).split(" ")[1]);
      assertTrue(resync * 1000 >= before - 1000 && resync * 1000 <= System.currentTimeMillis() + 1000,
          "last resync " + resync + " within the test");
      String unreachable = new Scraper(down.port()).scrape();
      assertTrue(unreachable.contains("swarmscope_docker_up 0.0"), unreachable);
      assertTrue(!unreachable.contains("swarmscope_docker_last_resync_timestamp_seconds "), unreachable);
    }
  }
}
