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
}
