package io.swarmscope.exporter.swarm;

import java.time.Clock;
import java.time.Duration;
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
 * over at its next refresh, without a restart. Refreshes every {@code interval} and, debounced,
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

  /** One refresh: checks leadership, then reads nodes, services and tasks. Package-private for tests. */
  void refresh() {
    try {
      SwarmApi.Self self = api.self();
      if (!self.manager()) {
        becomeFollower("not a manager");
        return;
      }
      var nodes = api.nodes();
      boolean isLeader = nodes.stream().anyMatch(n -> n.leader() && n.id().equals(self.nodeId()));
      if (!isLeader) {
        becomeFollower("another manager leads");
        return;
      }
      snapshot = SwarmClusterSnapshot.of(nodes, api.services(), api.tasks(), clock.millis());
      if (!leader) {
        log.info("this node ({}) is the Swarm leader: exporting cluster state", self.nodeId());
        leader = true;
      }
      failing = false;
    } catch (RuntimeException e) {
      // Keep exporting nothing rather than stale numbers when the engine does not answer.
      snapshot = null;
      if (!failing) {
        log.warn("reading the Swarm cluster state failed: {}", e.toString());
        failing = true;
      }
    }
  }

  private void becomeFollower(String why) {
    snapshot = null;
    if (leader) {
      log.info("no longer the Swarm leader ({}): cluster state is exported elsewhere", why);
      leader = false;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
