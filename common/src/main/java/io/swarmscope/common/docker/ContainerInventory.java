package io.swarmscope.common.docker;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running containers of this engine, kept current by a {@link DockerWatcher} from the event
 * stream and periodic resyncs, and read by any number of threads without locks or Docker calls.
 *
 * <p>Thread-safe: writers are serialised, readers see an immutable snapshot.
 */
public final class ContainerInventory {

  private volatile Map<String, RunningContainer> byId = Map.of();

  /** The running containers, an immutable list in no particular order. */
  public List<RunningContainer> all() {
    return List.copyOf(byId.values());
  }

  public RunningContainer get(String id) {
    return byId.get(id);
  }

  public int size() {
    return byId.size();
  }

  public synchronized void put(RunningContainer container) {
    Map<String, RunningContainer> next = new HashMap<>(byId);
    next.put(container.id(), container);
    byId = Map.copyOf(next);
  }

  public synchronized void remove(String id) {
    if (byId.containsKey(id)) {
      Map<String, RunningContainer> next = new HashMap<>(byId);
      next.remove(id);
      byId = Map.copyOf(next);
    }
  }

  /** Replaces the whole set, as after a resync. */
  public synchronized void replaceAll(Collection<RunningContainer> containers) {
    Map<String, RunningContainer> next = new HashMap<>();
    for (RunningContainer c : containers) {
      next.put(c.id(), c);
    }
    byId = Map.copyOf(next);
  }
}
