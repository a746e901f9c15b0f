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

/**
 * Only the leader's watcher holds cluster state, and leadership can come and go without restart;
 * every manager's watcher holds manager state, also without a leader.
 */
class SwarmClusterWatcherTest {

  /** A two-manager cluster whose leader the test moves. */
  static final class FakeApi implements SwarmApi {
    String leader = "m1";
    boolean down;
    boolean noLeader;
    boolean worker;
    String unreachable = "";
    int serviceCalls;

    @Override
    public Self self() {
      if (down) {
        throw new IllegalStateException("engine down");
      }
      if (worker) {
        return Self.worker("m1");
      }
      return noLeader ? new Self("m1", true, 0, 3, "The swarm does not have a leader.")
          : new Self("m1", true, 3, 3, "");
    }

    @Override
    public List<ClusterNode> nodes() {
      if (noLeader) {
        // What docker-java throws for the engine's HTTP 500 without a leader.
        throw new IllegalStateException("Status 500: The swarm does not have a leader.");
      }
      return List.of(node("m1"), node("m2"), node("m3"));
    }

    private ClusterNode node(String id) {
      return new ClusterNode(id, id, "manager", "active", "ready", "20.10.24", id.equals(leader),
          id.equals(unreachable) ? "unreachable" : "reachable", Map.of(), Map.of(), "linux", "x86_64");
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
    assertEquals(3, watcher.snapshot().get().nodes().size());

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
    assertTrue(watcher.manager().isEmpty());
  }

  @Test
  void everyManagerKeepsManagerStateLeaderOrNot() {
    api.leader = "m2";
    api.unreachable = "m3";
    watcher.refresh();
    assertTrue(watcher.snapshot().isEmpty(), "a follower keeps no cluster state");
    assertEquals(new SwarmManagerSnapshot(3, true, 3, 2, 1_700_000_000_000L), watcher.manager().orElseThrow());
  }

  @Test
  void withoutALeaderTheManagerStateRemainsFromInfoAlone() {
    watcher.refresh();
    api.noLeader = true;
    watcher.refresh();
    assertTrue(watcher.snapshot().isEmpty(), "no stale cluster state without a leader");
    assertEquals(new SwarmManagerSnapshot(3, false, 0, 0, 1_700_000_000_000L), watcher.manager().orElseThrow());

    api.noLeader = false;
    watcher.refresh();
    assertTrue(watcher.manager().orElseThrow().leaderReachable(), "recovers without a restart");
    assertTrue(watcher.snapshot().isPresent());
  }

  @Test
  void workersKeepNoManagerState() {
    api.worker = true;
    watcher.refresh();
    assertTrue(watcher.manager().isEmpty());
    assertTrue(watcher.snapshot().isEmpty());
  }
}
