package io.swarmscope.exporter.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reduction of real recorded {@code /info} and {@code /nodes} answers (see {@link RecordedSwarm}). */
class DockerSwarmApiTest {

  @Test
  void aHealthyManagerKnowsThreeManagersAllReachable() {
    SwarmApi.Self self = DockerSwarmApi.self(RecordedSwarm.info("healthy"));
    assertEquals(new SwarmApi.Self("v3p7t90bsyy7sd0h814yf2j9w", true, 3, 3, ""), self);
    List<ClusterNode> nodes = RecordedSwarm.nodes("healthy").stream().map(DockerSwarmApi::node).toList();
    assertEquals(List.of("reachable", "reachable", "reachable"),
        nodes.stream().map(ClusterNode::reachability).toList());
    assertEquals(1, nodes.stream().filter(ClusterNode::leader).count());
  }

  @Test
  void afterTheLeaderStopsTheNewLeaderReportsItUnreachableAndUnknown() {
    List<ClusterNode> nodes = RecordedSwarm.nodes("leader-lost").stream().map(DockerSwarmApi::node).toList();
    ClusterNode old = nodes.stream().filter(n -> n.hostname().equals("node-3")).findFirst().orElseThrow();
    assertEquals("unreachable", old.reachability());
    assertEquals("unknown", old.status());
    assertFalse(old.leader());
    assertTrue(nodes.stream().anyMatch(n -> n.leader() && n.hostname().equals("node-2")));
    // /info still counts the stopped manager: membership, not reachability.
    assertEquals(3, DockerSwarmApi.self(RecordedSwarm.info("leader-lost")).raftManagers());
  }

  @Test
  void withoutQuorumInfoStillAnswersWithTheRaftMembershipAndAnError() {
    SwarmApi.Self self = DockerSwarmApi.self(RecordedSwarm.info("no-quorum"));
    assertTrue(self.manager(), "ControlAvailable stays true without a leader");
    assertEquals(0, self.managers(), "Swarm.Managers is absent without a leader");
    assertEquals(3, self.raftManagers());
    assertTrue(self.error().contains("context deadline exceeded"), self.error());
  }

  @Test
  void managerSnapshotsCountReachableManagersOnlyWithALeader() {
    assertEquals(new SwarmManagerSnapshot(3, true, 3, 3, 5), RecordedSwarm.manager("healthy", 5));
    assertEquals(new SwarmManagerSnapshot(3, true, 3, 2, 5), RecordedSwarm.manager("leader-lost", 5));
    assertEquals(new SwarmManagerSnapshot(3, false, 0, 0, 5), RecordedSwarm.manager("no-quorum", 5));
  }
}
