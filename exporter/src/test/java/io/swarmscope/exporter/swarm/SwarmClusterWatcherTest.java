package io.swarmscope.exporter.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the leader's watcher holds cluster state, and leadership can come and go without restart. */
class SwarmClusterWatcherTest {

  /** A two-manager cluster whose leader the test moves. */
  static final class FakeApi implements SwarmApi {
    String leader = "m1";
    boolean down;
    int serviceCalls;

    @Override
    public Self self() {
      if (down) {
        throw new IllegalStateException("engine down");
      }
      return new Self("m1", true);
    }

    @Override
    public List<ClusterNode> nodes() {
      return List.of(node("m1"), node("m2"));
    }

    private ClusterNode node(String id) {
      return new ClusterNode(id, id, "manager", "active", "ready", "20.10.24", id.equals(leader),
          Map.of(), Map.of(), "linux", "x86_64");
    }

    @Override
    public List<ClusterService> services() {
      serviceCalls++;
      return List.of(new ClusterService("s1", "web", "", "replicated", 2, List.of(), "none"));
    }

    @Override
    public List<ClusterTask> tasks() {
      return List.of(new ClusterTask("s1", "m1", "running", "running"));
    }
  }

  final FakeApi api = new FakeApi();
  final SwarmClusterWatcher watcher = new SwarmClusterWatcher(api,
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC), Duration.ofSeconds(10));

  @Test
  void leaderExportsFollowerDoesNotAndTakeoverNeedsNoRestart() {
    watcher.refresh();
    assertTrue(watcher.snapshot().isPresent());
    assertEquals(2, watcher.snapshot().get().nodes().size());

    api.leader = "m2";
    watcher.refresh();
    assertTrue(watcher.snapshot().isEmpty());
    int callsAsFollower = api.serviceCalls;

    watcher.refresh();
    assertEquals(callsAsFollower, api.serviceCalls, "a follower does not list services");

    api.leader = "m1";
    watcher.refresh();
    assertTrue(watcher.snapshot().isPresent());
  }

  @Test
  void unreachableEngineExportsNothingRatherThanStaleState() {
    watcher.refresh();
    api.down = true;
    watcher.refresh();
    assertTrue(watcher.snapshot().isEmpty());
  }
}
