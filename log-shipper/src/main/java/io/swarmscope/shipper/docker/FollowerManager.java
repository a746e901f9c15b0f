package io.swarmscope.shipper.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.transport.DockerHttpClient;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.common.docker.DockerWatcher;
import io.swarmscope.common.docker.RunningContainer;
import io.swarmscope.shipper.checkpoint.CheckpointStore;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.output.Output;
import io.swarmscope.shipper.pipeline.ContainerPipeline;
import io.swarmscope.shipper.pipeline.ContainerTrack;
import io.swarmscope.shipper.pipeline.LogPosition;
import io.swarmscope.shipper.pipeline.PipelineSettings;
import io.swarmscope.shipper.pipeline.ServiceRateLimits;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which containers are followed and keeps one {@link ContainerFollower} (a virtual
 * thread) per container whose log is not fully read: from the initial listing (running
 * containers, and stopped ones with lines left after their checkpoint), from Docker's events
 * (start, restart, unpause, rename, destroy) and from a periodic reconcile against the
 * watcher's inventory, which heals anything missed while the event stream was down.
 *
 * <p>A container's pipeline lives as long as the container: a restarted container continues
 * where its previous run's stream stopped. Thread-safe.
 */
public final class FollowerManager {

  private static final Logger log = LoggerFactory.getLogger(FollowerManager.class);
  private static final Set<String> READABLE_DRIVERS = Set.of("json-file", "local", "journald");

  private final DockerClient docker;
  private final DockerHttpClient http;
  private final CheckpointStore checkpoints;
  private final List<Output> outputs;
  private final PipelineSettings settings;
  private final ServiceRateLimits rateLimits;
  private final ContainerFilter filter;
  private final ShipperMetrics metrics;
  private final String node;
  private final Map<String, ContainerPipeline> pipelines = new ConcurrentHashMap<>();
  private final Map<String, ContainerFollower> followers = new HashMap<>();
  private final Map<String, String> drivers = new ConcurrentHashMap<>();
  private final Set<String> ignored = ConcurrentHashMap.newKeySet();
  private final Map<String, String> unsupported = new ConcurrentHashMap<>();
  /** Stopped containers the reconcile has judged: exited before we watched, nothing to read. */
  private final Set<String> settled = ConcurrentHashMap.newKeySet();
  /** When the initial scan listed the engine: a container exiting later is ours to ship. */
  private volatile Instant watchingSince;
  private volatile boolean closed;

  public FollowerManager(DockerClient docker, DockerHttpClient http, CheckpointStore checkpoints,
      List<Output> outputs, PipelineSettings settings, ContainerFilter filter,
      ShipperMetrics metrics, String node, ServiceRateLimits rateLimits) {
    this.rateLimits = rateLimits;
    this.docker = docker;
    this.http = http;
    this.checkpoints = checkpoints;
    this.outputs = List.copyOf(outputs);
    this.settings = settings;
    this.filter = filter;
    this.metrics = metrics;
    this.node = node;
  }

  /**
   * Lists every container once: running ones are followed; stopped ones are followed to the end
   * of their log when they have a checkpoint, or stopped after the checkpoint store was created
   * (they ran while the shipper was down). Checkpoints of containers that no longer exist are
   * dropped.
   */
  public void initialScan() {
    watchingSince = Instant.now();
    List<Container> all = docker.listContainersCmd().withShowAll(true).exec();
    Set<String> existing = new HashSet<>();
    int followed = 0;
    int excluded = 0;
    for (Container c : all) {
      existing.add(c.getId());
      boolean running = "running".equals(c.getState());
      if (running || checkpoints.has(c.getId()) || stoppedAfter(c.getId(), checkpoints.created())) {
        ensure(c.getId(), running ? "running" : "stopped with unread lines");
        if (ignored.contains(c.getId())) {
          excluded++;
        } else {
          followed++;
        }
      }
    }
    for (String id : checkpoints.containers()) {
      if (!existing.contains(id)) {
        checkpoints.forget(id);
        log.info("container {} was removed while the shipper was not running: its checkpoint is "
            + "dropped (lines it wrote after the checkpoint, if any, went with it)", id.substring(0, 12));
      }
    }
    log.info("initial scan: {} containers, {} to follow, {} excluded by the filters", all.size(),
        followed, excluded);
  }

  private boolean stoppedAfter(String id, Instant since) {
    return finishedAtMillis(id) > since.toEpochMilli();
  }

  /** When the container last exited, epoch ms; 0 if never; -1 if it cannot be inspected now. */
  private long finishedAtMillis(String id) {
    try {
      return DockerWatcher.parseMillis(docker.inspectContainerCmd(id).exec().getState().getFinishedAt());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Docker event listener (called on the watcher's thread). */
  public void onEvent(Event e) {
    if (e.getType() != EventType.CONTAINER || e.getId() == null || closed) {
      return;
    }
    String action = e.getAction() == null ? String.valueOf(e.getStatus()) : e.getAction();
    switch (action) {
      case "start", "restart", "unpause" -> ensure(e.getId(), action);
      case "rename" -> rename(e.getId());
      case "destroy" -> destroyed(e.getId());
      default -> { }
    }
  }

  /**
   * Follows every running container of the inventory that has no follower, and every stopped
   * container that exited after the initial scan without ever being followed: one that started
   * and exited while the event stream was down (dockerd or the socket proxy restarting), or whose
   * start event could not be acted on. Its lines are still in its log; without this they would be
   * shipped only at the shipper's next start.
   */
  public void reconcile(List<RunningContainer> running) {
    for (RunningContainer c : running) {
      boolean has;
      synchronized (this) {
        has = followers.containsKey(c.id());
      }
      if (!has && !ignored.contains(c.id())) {
        ensure(c.id(), "resync");
      }
    }
    reconcileStopped();
    updateDriverGauges();
  }

  private void reconcileStopped() {
    Instant since = watchingSince;
    if (since == null || closed) {
      return;
    }
    List<Container> all;
    try {
      all = docker.listContainersCmd().withShowAll(true).exec();
    } catch (RuntimeException e) {
      log.debug("cannot list stopped containers ({}); retried at the next resync", e.toString());
      return;
    }
    Set<String> listed = new HashSet<>();
    for (Container c : all) {
      String id = c.getId();
      listed.add(id);
      if ("running".equals(c.getState()) || pipelines.containsKey(id) || ignored.contains(id)
          || settled.contains(id)) {
        continue;
      }
      long finished = finishedAtMillis(id);
      if (finished < 0) {
        continue;  // not judged: looked at again at the next resync
      }
      if (finished > since.toEpochMilli()) {
        log.info("container {} ({}) ran and exited without a start event reaching the shipper "
            + "(event stream down?): shipping its log now", id.substring(0, 12), name(c));
        metrics.missedContainers.labelValues(node).inc();
        ensure(id, "exited unseen");
      } else {
        settled.add(id);
      }
    }
    settled.retainAll(listed);
  }

  private static String name(Container c) {
    String[] names = c.getNames();
    return names == null || names.length == 0 ? "" : names[0].replaceFirst("^/", "");
  }

  /** Starts a follower for the container, or tells the running one to look again. */
  public void ensure(String id, String why) {
    if (closed || ignored.contains(id)) {
      return;
    }
    synchronized (this) {
      ContainerFollower f = followers.get(id);
      if (f != null) {
        f.recheck();
        return;
      }
    }
    InspectContainerResponse c;
    try {
      c = docker.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return;
    } catch (RuntimeException e) {
      log.warn("cannot inspect container {} ({}); retried at the next resync", id, e.toString());
      return;
    }
    ContainerPipeline pipeline = pipelines.get(id);
    if (pipeline == null) {
      ContainerIdentity identity = identity(c);
      List<String> env = c.getConfig() == null || c.getConfig().getEnv() == null ? List.of()
          : Arrays.asList(c.getConfig().getEnv());
      String excluded = filter.excludedBecause(identity, env);
      if (excluded != null) {
        ignored.add(id);
        log.info("not shipping container {} ({}): {}", identity.shortId(), identity.name(), excluded);
        return;
      }
      String driver = c.getHostConfig() == null || c.getHostConfig().getLogConfig() == null
          ? "" : String.valueOf(c.getHostConfig().getLogConfig().getType());
      drivers.put(id, driver);
      if (!READABLE_DRIVERS.contains(driver)) {
        log.info("container {} ({}) logs with the '{}' driver: trying the log API anyway (dual "
            + "logging on Docker >= 20.10 serves it unless the daemon disables the cache)",
            identity.shortId(), identity.name(), driver);
      }
      Map<String, LogPosition> positions = new HashMap<>();
      for (Output o : outputs) {
        positions.put(o.name(), checkpoints.get(o.name(), id));
      }
      Map<String, String> logOptions = c.getHostConfig() == null
          || c.getHostConfig().getLogConfig() == null ? Map.of()
          : c.getHostConfig().getLogConfig().getConfig();
      ContainerTrack track = new ContainerTrack(identity, LogCapacity.of(driver, logOptions),
          LogCapacity.overheadPerLine(driver));
      pipeline = new ContainerPipeline(track, node, outputs, positions,
          settings, metrics, System::nanoTime,
          rateLimits.forService(EcsDocument.serviceName(identity)));
      // An event and a resync can both get here first: one pipeline per container, whoever wins.
      ContainerPipeline first = pipelines.putIfAbsent(id, pipeline);
      if (first != null) {
        pipeline = first;
      }
    }
    ContainerFollower follower = new ContainerFollower(id, docker, http, pipeline, metrics, node,
        settings.maxLineBytes(), () -> followerExited(id));
    synchronized (this) {
      if (closed) {
        return;
      }
      if (followers.containsKey(id)) {
        followers.get(id).recheck();
        return;
      }
      followers.put(id, follower);
    }
    log.debug("following container {} ({}) from {}", id.substring(0, 12), why,
        DockerTimestamps.format(pipeline.resumeFrom().timestampNanos()));
    Thread.ofVirtual().name("follow-" + id.substring(0, 12)).start(() -> {
      try {
        follower.run();
      } catch (ContainerFollower.UnsupportedDriverException e) {
        unsupported(id, e.getMessage());
      }
    });
  }

  private void unsupported(String id, String message) {
    String driver = drivers.getOrDefault(id, "unknown");
    if (unsupported.put(id, driver) == null) {
      ContainerPipeline p = pipelines.get(id);
      String name = p == null ? id : p.track().identity().name();
      log.warn("container {} logs with the '{}' driver, which the Docker log API cannot read ({}): "
          + "its lines are NOT shipped. Use json-file, local or journald, or enable dual logging "
          + "(see docs/log-shipper.md)", name, driver, message);
    }
  }

  private void followerExited(String id) {
    boolean again;
    synchronized (this) {
      ContainerFollower f = followers.remove(id);
      again = f != null && f.takeRecheck() && !closed;
    }
    if (again) {
      ensure(id, "restarted while finishing");
    }
  }

  private void rename(String id) {
    ContainerPipeline p = pipelines.get(id);
    if (p == null) {
      return;
    }
    try {
      p.track().rename(identity(docker.inspectContainerCmd(id).exec()));
    } catch (RuntimeException e) {
      log.debug("rename of {} not applied: {}", id, e.toString());
    }
  }

  private void destroyed(String id) {
    ignored.remove(id);
    unsupported.remove(id);
    drivers.remove(id);
    ContainerPipeline p = pipelines.remove(id);
    synchronized (this) {
      ContainerFollower f = followers.get(id);
      if (f != null) {
        f.stop();
      }
    }
    checkpoints.forget(id);
    if (p != null) {
      ContainerIdentity c = p.track().identity();
      metrics.lag.remove(c.stack(), EcsDocument.serviceName(c), node, c.name());
      metrics.bufferHorizon.remove(c.stack(), EcsDocument.serviceName(c), node, c.name());
    }
  }

  /** An output acknowledged one event of the container (for the lag gauge). */
  public void acked(String output, String containerId) {
    ContainerPipeline p = pipelines.get(containerId);
    if (p != null) {
      p.track().acked(output);
    }
  }

  /** Called by a timer: flushes held multiline groups and updates the lag gauges. */
  public void tick(long nowEpochNanos) {
    for (Map.Entry<String, ContainerPipeline> e : pipelines.entrySet()) {
      ContainerPipeline p = e.getValue();
      p.flushIfIdle();
      if (p.needsCatchUp()) {
        catchUp(e.getKey());
      }
      ContainerIdentity c = p.track().identity();
      metrics.lag.labelValues(c.stack(), EcsDocument.serviceName(c), node, c.name())
          .set(p.track().lagSeconds(nowEpochNanos));
      double horizon = p.track().bufferHorizonSeconds();
      if (!Double.isNaN(horizon)) {
        metrics.bufferHorizon.labelValues(c.stack(), EcsDocument.serviceName(c), node, c.name())
            .set(horizon);
      }
    }
  }

  /** A detached output has room again: re-read the container's log from its position. */
  private void catchUp(String id) {
    ContainerFollower f;
    synchronized (this) {
      f = followers.get(id);
    }
    if (f != null) {
      f.restartStream();
    } else {
      Thread.ofVirtual().start(() -> ensure(id, "catch up"));
    }
  }

  private void updateDriverGauges() {
    Map<String, Integer> byDriver = new HashMap<>();
    synchronized (this) {
      for (String id : followers.keySet()) {
        if (!unsupported.containsKey(id)) {
          byDriver.merge(drivers.getOrDefault(id, "unknown"), 1, Integer::sum);
        }
      }
    }
    metrics.followed.clear();
    byDriver.forEach((d, n) -> metrics.followed.labelValues(node, d).set(n));
    Map<String, Integer> bad = new HashMap<>();
    unsupported.values().forEach(d -> bad.merge(d, 1, Integer::sum));
    metrics.unsupported.clear();
    bad.forEach((d, n) -> metrics.unsupported.labelValues(node, d).set(n));
  }

  /** Containers followed right now. */
  public synchronized int followedCount() {
    return followers.size();
  }

  public void close() {
    closed = true;
    synchronized (this) {
      followers.values().forEach(ContainerFollower::stop);
    }
  }

  static ContainerIdentity identity(InspectContainerResponse c) {
    Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null
        ? Map.of() : c.getConfig().getLabels();
    String image = c.getConfig() == null ? "" : c.getConfig().getImage();
    return new ContainerIdentity(c.getId(), c.getName(), image, labels);
  }
}
