package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmscope.exporter.docker.DockerView;
import io.swarmscope.exporter.swarm.ClusterNode;
import io.swarmscope.exporter.swarm.ClusterService;
import io.swarmscope.exporter.swarm.ClusterTask;
import io.swarmscope.exporter.swarm.SwarmClusterSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwarmClusterCollectorTest {

  @Test
  void goldenClusterSeries() {
    var nodes = List.of(
        new ClusterNode("n1", "mgr-1", "manager", "active", "ready", "20.10.24", true, "reachable",
            Map.of(), Map.of(), "linux", "x86_64"),
        new ClusterNode("n2", "wrk-1", "worker", "drain", "down", "24.0.7", false, "", Map.of(), Map.of(),
            "linux", "x86_64"));
    var services = List.of(
        new ClusterService("s1", "shop_web", "shop", "replicated", 5, List.of(), "rollback_completed"),
        new ClusterService("s2", "agent", "", "global", 0, List.of(), "none"));
    var tasks = List.of(new ClusterTask("s1", "n1", "running", "running"),
        new ClusterTask("s1", "n1", "running", "running"),
        new ClusterTask("s1", "", "pending", "running"),
        new ClusterTask("s1", "n1", "failed", "shutdown"),
        new ClusterTask("s2", "n1", "running", "running"));
    var snapshot = SwarmClusterSnapshot.of(nodes, services, tasks, 1_700_000_000_250L);
    DockerView view = new FakeDockerView() {
      @Override
      public Optional<SwarmClusterSnapshot> cluster() {
        return Optional.of(snapshot);
      }
    };
    Golden.assertMatches("swarm-cluster.txt", Exposition.text(new SwarmClusterCollector(view)));
  }

  @Test
  void followersExportNothing() {
    assertEquals("", Exposition.text(new SwarmClusterCollector(new FakeDockerView())));
  }
}
