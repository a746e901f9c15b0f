package io.swarmscope.common.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmInfo;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local picture of one Docker engine without anyone else calling it: the engine's Swarm
 * identity ({@code docker info}) and the {@link ContainerInventory} of running containers.
 *
 * <p>It subscribes to the event stream (container, node, service and daemon events), resyncs
 * everything when it (re)connects and every {@code resyncInterval}, and reconnects with
 * exponential backoff (1 s doubling to 30 s) when the engine goes away. All Docker calls run on
 * one daemon thread owned by the watcher; readers only touch immutable snapshots. Requests go
 * through a client with a response timeout, so a hung engine or proxy fails them (and the watcher
 * reconnects) rather than stopping the thread; the event stream has a client of its own.
 *
 * <p>Thread-safe. Start once with {@link #start()}, stop with {@link #close()}.
 */
public final class DockerWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DockerWatcher.class);
  private static final long MIN_BACKOFF_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final DockerClient client;
  private final DockerClient streams;
  private final String endpoint;
  private final Duration resyncInterval;
  private final Predicate<String> keepLabel;
  private final ContainerInventory inventory = new ContainerInventory();
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread;

  private volatile EngineIdentity identity;
  private volatile Closeable stream;
  private volatile boolean closed;
  /** Bumped on every (re)connect so callbacks of an abandoned stream are ignored. */
  private volatile int generation;
  private long backoffMs = MIN_BACKOFF_MS;
  private volatile boolean connected;
  private volatile long lastResyncMillis;
  private final Object connectedSignal = new Object();
  private boolean failureLogged;

  /**
   * A watcher of the engine at {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock}):
   * requests on a client with {@link DockerClients#REQUEST_TIMEOUT}, the event stream on a client
   * of its own without one (events may be minutes apart). {@link #client()} is the request client,
   * for callers with requests of their own.
   *
   * @param resyncInterval how often to reread the full state even when events flow
   * @param keepLabel which container labels to keep in the inventory (memory: keep few)
   */
  public static DockerWatcher of(String dockerHost, Duration resyncInterval, Predicate<String> keepLabel) {
    return new DockerWatcher(
        DockerClients.createForRequests(dockerHost, 16, DockerClients.REQUEST_TIMEOUT),
        DockerClients.create(dockerHost, 2), dockerHost, resyncInterval, keepLabel);
  }

  private DockerWatcher(DockerClient requests, DockerClient streams, String endpoint,
      Duration resyncInterval, Predicate<String> keepLabel) {
    this.client = requests;
    this.streams = streams;
    this.endpoint = endpoint;
    this.resyncInterval = resyncInterval;
    this.keepLabel = keepLabel;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "docker-watcher");
      t.setDaemon(true);
      return t;
    });
  }

  /** Connects in the background and returns at once. */
  public DockerWatcher start() {
    thread.execute(this::connect);
    long every = resyncInterval.toMillis();
    thread.scheduleWithFixedDelay(this::periodicResync, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The client for requests (with a response timeout when the watcher was given one). */
  public DockerClient client() {
    return client;
  }

  /** Whether the event stream is up and the last (re)connect's resync succeeded. */
  public boolean connected() {
    return connected;
  }

  /** When the container inventory was last reread in full, epoch ms; 0 before the first time. */
  public long lastResyncMillis() {
    return lastResyncMillis;
  }

  public ContainerInventory inventory() {
    return inventory;
  }

  /** The engine's identity, empty until the engine has answered once. */
  public Optional<EngineIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  /**
   * Waits until the event stream is subscribed and the first resync is done (events from then on
   * reach the listeners); false if that did not happen within {@code limit}.
   */
  public boolean awaitConnected(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (connectedSignal) {
      while (!connected) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        connectedSignal.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /**
   * Calls {@code listener} on the watcher's thread for every event received (container, node,
   * service, daemon). Listeners must not block for long.
   */
  public void addListener(Consumer<Event> listener) {
    listeners.add(listener);
  }

  private void connect() {
    if (closed) {
      return;
    }
    closeStream();
    int gen = ++generation;
    try {
      refreshIdentity();
      // Subscribe before listing so nothing that happens during the resync is missed.
      stream = streams.eventsCmd()
          .withEventTypeFilter(EventType.CONTAINER, EventType.NODE, EventType.SERVICE, EventType.DAEMON)
          .exec(new EventCallback(gen));
      resyncContainers();
      backoffMs = MIN_BACKOFF_MS;
      if (!connected) {
        log.info("watching Docker at {}: node {} ({}), {} running containers", endpoint,
            identity.nodeName(), identity.inSwarm() ? identity.nodeId() : "not in a swarm",
            inventory.size());
      }
      connected = true;
      synchronized (connectedSignal) {
        connectedSignal.notifyAll();
      }
      failureLogged = false;
    } catch (RuntimeException e) {
      connectionLost(gen, e);
    }
  }

  private void connectionLost(int gen, Throwable cause) {
    if (closed || gen != generation) {
      return;
    }
    closeStream();
    generation++;
    if (!failureLogged) {
      log.warn("Docker at {} unreachable ({}); retrying in the background, Docker-fed collectors"
          + " export nothing until it answers", endpoint, cause.toString());
      failureLogged = true;
    } else {
      log.debug("Docker at {} still unreachable: {}", endpoint, cause.toString());
    }
    connected = false;
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    thread.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void periodicResync() {
    if (!connected || closed) {
      return;
    }
    try {
      refreshIdentity();
      resyncContainers();
    } catch (RuntimeException e) {
      connectionLost(generation, e);
    }
  }

  private void refreshIdentity() {
    Info info = client.infoCmd().exec();
    SwarmInfo swarm = info.getSwarm();
    String nodeId = swarm == null ? "" : swarm.getNodeID();
    boolean manager = swarm != null && Boolean.TRUE.equals(swarm.getControlAvailable());
    EngineIdentity next = new EngineIdentity(nodeId, info.getName(), manager, info.getServerVersion());
    if (identity != null && !identity.equals(next)) {
      log.info("engine identity changed: {} -> {}", identity, next);
    }
    identity = next;
  }

  private void resyncContainers() {
    List<Container> listed = client.listContainersCmd().exec();
    Map<String, RunningContainer> next = new HashMap<>();
    for (Container c : listed) {
      RunningContainer known = inventory.get(c.getId());
      RunningContainer current = known != null ? known : inspect(c.getId());
      if (current != null) {
        next.put(current.id(), current);
      }
    }
    inventory.replaceAll(new ArrayList<>(next.values()));
    lastResyncMillis = System.currentTimeMillis();
  }

  /** The container as the inventory keeps it, or null when it is gone or not running. */
  private RunningContainer inspect(String id) {
    InspectContainerResponse r;
    try {
      r = client.inspectContainerCmd(id).exec();
    } catch (NotFoundException e) {
      return null;
    }
    var state = r.getState();
    Long pid = state == null ? null : state.getPidLong();
    if (state == null || !Boolean.TRUE.equals(state.getRunning()) || pid == null || pid <= 0) {
      return null;
    }
    Map<String, String> labels = new HashMap<>();
    var config = r.getConfig();
    if (config != null && config.getLabels() != null) {
      config.getLabels().forEach((k, v) -> {
        if (keepLabel.test(k)) {
          labels.put(k, v);
        }
      });
    }
    String image = config == null ? "" : config.getImage();
    return new RunningContainer(new ContainerIdentity(r.getId(), r.getName(), image, labels),
        (int) (long) pid, parseMillis(state.getStartedAt()));
  }

  /** Docker's RFC 3339 time in epoch milliseconds; 0 for empty, unset ({@code 0001-...}) or bad. */
  public static long parseMillis(String iso) {
    if (iso == null || iso.isEmpty() || iso.startsWith("0001-")) {
      return 0;
    }
    try {
      return Instant.parse(iso).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private void handle(Event e) {
    if (closed) {
      return;
    }
    try {
      if (e.getType() == EventType.CONTAINER && e.getId() != null) {
        String action = e.getAction() == null ? e.getStatus() : e.getAction();
        switch (action == null ? "" : action) {
          case "start", "unpause", "rename", "update" -> {
            RunningContainer c = inspect(e.getId());
            if (c != null) {
              inventory.put(c);
            } else {
              inventory.remove(e.getId());
            }
          }
          // "die" follows every stop or fatal kill; "destroy" covers removal without a die seen.
          case "die", "destroy" -> inventory.remove(e.getId());
          default -> { }
        }
      } else if (e.getType() == EventType.NODE || e.getType() == EventType.DAEMON) {
        refreshIdentity();
      }
    } catch (RuntimeException ex) {
      log.debug("handling event {} failed: {}", e, ex.toString());
    }
    for (Consumer<Event> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        log.warn("event listener failed: {}", ex.toString());
      }
    }
  }

  private void closeStream() {
    Closeable s = stream;
    stream = null;
    if (s != null) {
      try {
        s.close();
      } catch (Exception ignored) {
        // closing an already broken stream
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeStream();
    thread.shutdownNow();
  }

  /** Hands events to the watcher's thread; a stream error or end triggers a reconnect. */
  private final class EventCallback extends ResultCallback.Adapter<Event> {
    private final int gen;

    EventCallback(int gen) {
      this.gen = gen;
    }

    @Override
    public void onNext(Event event) {
      if (gen == generation && !closed) {
        thread.execute(() -> handle(event));
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!closed) {
        thread.execute(() -> connectionLost(gen, t));
      }
    }

    @Override
    public void onComplete() {
      if (!closed) {
        thread.execute(() -> connectionLost(gen, new IllegalStateException("event stream ended")));
      }
    }
  }
}
