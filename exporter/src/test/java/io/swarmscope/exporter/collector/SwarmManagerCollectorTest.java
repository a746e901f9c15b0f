package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.swarm.RecordedSwarm;
import io.swarmscope.exporter.swarm.SwarmManagerSnapshot;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-manager series for the recorded states of a real three-manager swarm. */
class SwarmManagerCollectorTest {

  static String scrape(SwarmManagerSnapshot snapshot) {
    DockerView view = new FakeDockerView() {
      @Override
      public Optional<SwarmManagerSnapshot> manager() {
        return Optional.of(snapshot);
      }
    };
    return Exposition.text(new SwarmManagerCollector(view));
  }

  @Test
  void withALeaderAfterOneManagerStoppedTwoOfThreeAreReachable() {
    Golden.assertMatches("swarm-manager-leader-lost.txt",
        scrape(RecordedSwarm.manager("leader-lost", 1_700_000_000_250L)));
  }

  @Test
  void withoutQuorumTheManagerStillExportsItsRaftMembershipAndNoLeader() {
    Golden.assertMatches("swarm-manager-no-quorum.txt",
        scrape(RecordedSwarm.manager("no-quorum", 1_700_000_000_250L)));
  }

  @Test
  void workersExportNothing() {
    assertEquals("", Exposition.text(new SwarmManagerCollector(new FakeDockerView())));
  }
}
