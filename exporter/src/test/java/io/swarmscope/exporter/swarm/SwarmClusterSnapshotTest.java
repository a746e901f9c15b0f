package io.swarmscope.exporter.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmClusterSnapshotTest {

  static ClusterNode node(String id, String role, String availability, String status, String zone) {
    return new ClusterNode(id, "host-" + id, role, availability, status, "20.10.24", id.equals("m1"),
        role.equals("manager") ? "reachable" : "", Map.of("zone", zone), Map.of(), "linux", "x86_64");
  }

  static final List<ClusterNode> NODES = List.of(
      node("m1", "manager", "active", "ready", "a"),
      node("w1", "worker", "active", "ready", "b"),
      node("w2", "worker", "drain", "ready", "b"),
      node("w3", "worker", "active", "down", "b"));

  @Test
  void replicatedDesiredIsTheSpecAndRunningCountsRunningTasks() {
    var web = new ClusterService("s1", "shop_web", "shop", "replicated", 3, List.of(), "completed");
    var snap = SwarmClusterSnapshot.of(NODES, List.of(web), List.of(
        new ClusterTask("s1", "m1", "running", "running"),
        new ClusterTask("s1", "w1", "pending", "running"),
        new ClusterTask("s1", "w1", "failed", "shutdown"),
        new ClusterTask("s1", "", "pending", "running")), 1000);
    var s = snap.services().get(0);
    assertEquals(3, s.desired());
    assertEquals(1, s.running());
    assertEquals(2, s.tasksByState().get("pending"));
    assertEquals(1, s.tasksByState().get("failed"));
    assertEquals(0, s.tasksByState().get("rejected"));
    assertEquals(SwarmClusterSnapshot.TASK_STATES.size(), s.tasksByState().size());
  }

  @Test
  void globalDesiredCountsSchedulableNodesThatMeetTheConstraints() {
    var all = new ClusterService("g1", "agent", "", "global", 0, List.of(), "none");
    var workers = new ClusterService("g2", "w", "", "global", 0, List.of("node.role == worker"), "none");
    var zoneB = new ClusterService("g3", "b", "", "global", 0,
        List.of("node.labels.zone==b", "node.hostname!=host-w9"), "none");
    var snap = SwarmClusterSnapshot.of(NODES, List.of(all, workers, zoneB), List.of(), 0);
    assertEquals(2, snap.services().get(0).desired()); // m1, w1: w2 drains, w3 is down
    assertEquals(1, snap.services().get(1).desired());
    assertEquals(1, snap.services().get(2).desired());
  }

  @Test
  void constraintsOnUnknownKeysNeverExcludeANode() {
    ClusterNode n = NODES.get(0);
    assertTrue(PlacementConstraints.matches(List.of("node.platform.variant==v8"), n));
    assertTrue(PlacementConstraints.matches(List.of("node.labels.zone!=b", "node.id==m1"), n));
    assertFalse(PlacementConstraints.matches(List.of("node.labels.rack==r1"), n));
    assertFalse(PlacementConstraints.matches(List.of("engine.labels.gpu==true"), n));
  }
}
