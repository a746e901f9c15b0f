package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.swarmscope.exporter.Exporter;
import io.swarmscope.exporter.ExporterFlags;
import io.swarmscope.exporter.collector.CollectorContext;
import io.swarmscope.exporter.docker.DockerSources;
import io.swarmscope.exporter.host.JnaStatFs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-manager series on the real single-node swarm, whose one node is a manager with quorum:
 * they agree with what the engine's own {@code /info} says. (Without quorum the engine answers
 * differently; those answers are recorded fixtures, see SwarmManagerCollectorTest.)
 */
class SwarmManagerIT {

  @Test
  void theManagerExportsItsRaftMembershipAndReachableManagers() throws Exception {
    DockerClient docker = DockerTestSupport.client();
    var swarm = docker.infoCmd().exec().getSwarm();
    assertEquals(Boolean.TRUE, swarm.getControlAvailable(), "the test engine must be a swarm manager");
    int raftManagers = swarm.getRemoteManagers().size();
    int managers = swarm.getManagers();
    double before = System.currentTimeMillis() / 1000.0;
    // Only this collector: the series do not depend on the leader-only swarm_cluster collector.
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--collector.disable-defaults", "--collector.swarm_manager");
    try (DockerSources sources = DockerSources.start(DockerTestSupport.SOCKET, flags.options());
         Exporter exporter = Exporter.start(flags, new CollectorContext(flags.paths(),
             Clock.systemUTC(), new JnaStatFs(), flags.options(), sources.view()))) {
      var scraper = new Scraper(exporter.port());
      DockerTestSupport.await("swarm_manager series", Duration.ofSeconds(30),
          () -> !Scraper.lines(scraper.scrape(), "swarm_manager_leader_reachable").isEmpty());
      String text = scraper.scrape();
      assertEquals(1, value(text, "swarm_manager_leader_reachable"));
      assertEquals(raftManagers, value(text, "swarm_manager_raft_managers"));
      assertEquals(managers, value(text, "swarm_manager_managers"));
      assertEquals(managers, value(text, "swarm_manager_reachable_managers"),
          "every manager of a healthy swarm is reachable");
      double taken = value(text, "swarm_manager_state_timestamp_seconds");
      assertTrue(taken >= before && taken <= System.currentTimeMillis() / 1000.0,
          "read by this exporter: " + taken);
    }
  }

  private static double value(String exposition, String metric) {
    List<String> lines = Scraper.lines(exposition, metric);
    assertEquals(1, lines.size(), metric + " in\n" + exposition);
    return Scraper.value(lines.get(0));
  }
}
