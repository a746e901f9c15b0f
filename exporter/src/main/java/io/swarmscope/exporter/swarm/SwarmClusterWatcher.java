package io.swarmscope.exporter.swarm;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster state, but only while this engine is the Swarm leader: one exporter per
 * cluster exports cluster-wide series, and when leadership moves the new leader's exporter takes
 * over at its next refresh, without a restart. On every manager it also keeps what that manager
 * knows about the managers ({@link #manager()}), which needs no leader. Refreshes every {@code interval} and, debounced,
 * soon after a Swarm event ({@link #requestRefresh()}). All Docker calls run on its own daemon
 * thread; {@link #snapshot()} only reads a volatile field.
 *
 * <p>Thread-safe.
 */
public final class SwarmClusterWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SwarmClusterWatcher.class);
  /** Events come in bursts (a stack deploy is dozens): one refresh covers a burst. */
  private static final long DEBOUNCE_MS = 1_000;

  private final SwarmApi api;
  private final Clock clock;
  private final Duration interval;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private volatile SwarmClusterSnapshot snapshot;
  private volatile SwarmManagerSnapshot manager;
  private boolean leader;
  private boolean failing;

  public SwarmClusterWatcher(SwarmApi api, Clock clock, Duration interval) {
    this.api = api;
    this.clock = clock;
    this.interval = interval;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "swarm-cluster");
      t.setDaemon(true);
      return t;
    });
  }

  public SwarmClusterWatcher start() {
    thread.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * What this manager knows about the managers, present on every manager whose engine answers
   * {@code /info}, with or without a leader; empty on workers.
   */
  public Optional<SwarmManagerSnapshot> manager() {
    return Optional.ofNullable(manager);
  }

  /** The cluster state, present only while this engine is the leader and has answered. */
  public Optional<SwarmClusterSnapshot> snapshot() {
    return Optional.ofNullable(snapshot);
  }

  /** Asks for a refresh soon (after a Swarm event); cheap, may be called from any thread. */
  public void requestRefresh() {
    if (refreshPending.compareAndSet(false, true)) {
      thread.schedule(() -> {
        refreshPending.set(false);
        refresh();
      }, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * One refresh: reads this engine's {@code /info}, on a manager the node list (which needs a
   * leader) for the manager state, and on the leader services and tasks. Package-private for tests.
   */
  void refresh() {
    SwarmApi.Self self;
    try {
      self = api.self();
    } catch (RuntimeException e) {
      // Keep exporting nothing rather than stale numbers when the engine does not answer.
      manager = null;
      snapshot = null;
      warnOnce("reading the engine's Swarm info failed: {}", e);
      return;
    }
    if (!self.manager()) {
      manager = null;
      becomeFollower("not a manager");
      failing = false;
      return;
    }
    List<ClusterNode> nodes;
    try {
      nodes = api.nodes();
    } catch (RuntimeException e) {
      // No leader (quorum lost) fails exactly here; what this manager knows by itself still counts.
      manager = SwarmManagerSnapshot.withoutLeader(self, clock.millis());
      becomeFollower("the node list failed");
      warnOnce("listing the Swarm nodes failed (no leader reachable?): {}", e);
      return;
    }
    manager = SwarmManagerSnapshot.withLeader(self, nodes, clock.millis());
    try {
      boolean isLeader = nodes.stream().anyMatch(n -> n.leader() && n.id().equals(self.nodeId()));
      if (!isLeader) {
        becomeFollower("another manager leads");
        failing = false;
        return;
      }
      snapshot = SwarmClusterSnapshot.of(nodes, api.services(), api.tasks(), clock.millis());
      if (!leader) {
        log.info("this node ({}) is the Swarm leader: exporting cluster state", self.nodeId());
        leader = true;
      }
      failing = false;
    } catch (RuntimeException e) {
      snapshot = null;
      warnOnce("reading the Swarm cluster state failed: {}", e);
    }
  }

  private void warnOnce(String message, RuntimeException e) {
    if (!failing) {
      log.warn(message, e.toString());
      failing = true;
    }
  }

  private void becomeFollower(String why) {
    snapshot = null;
    if (leader) {
      log.info("no longer exporting the Swarm cluster state ({})", why);
      leader = false;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
