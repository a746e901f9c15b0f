package io.swarmscope.shipper.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmscope.shipper.pipeline.LogPosition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per output and per container, the position of the last line the output acknowledged, kept in
 * one JSON file that survives restarts ({@code checkpoints.json} in the state directory).
 *
 * <p>The file is versioned ({@code "format": 1}); a newer shipper reads older formats and refuses
 * (with a clear error, keeping the file) formats it does not know. It is replaced atomically
 * (write, fsync, rename), so a crash leaves the previous or the new version, never half of one.
 * Positions only move forward. Thread-safe.
 */
public final class CheckpointStore {

  public static final int FORMAT = 1;
  static final String FILE = "checkpoints.json";
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, Map<String, LogPosition>> byContainer = new HashMap<>();
  private final Instant created;
  private boolean dirty;

  private CheckpointStore(Path file, Instant created) {
    this.file = file;
    this.created = created;
  }

  /** Opens (or starts) the store in {@code dir}; {@code now} is recorded for a new store. */
  public static CheckpointStore open(Path dir, Instant now) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      CheckpointStore s = new CheckpointStore(file, now);
      s.dirty = true;
      s.flush();
      return s;
    }
    JsonNode root = JSON.readTree(file.toFile());
    int format = root.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new IOException(file + " has checkpoint format " + format + "; this shipper reads "
          + "format " + FORMAT + ". Keep the file and run a shipper version that knows it.");
    }
    CheckpointStore s = new CheckpointStore(file, Instant.parse(root.path("created").asText(now.toString())));
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("containers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      Map<String, LogPosition> outputs = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> o = c.getValue().path("outputs").fields(); o.hasNext(); ) {
        Map.Entry<String, JsonNode> e = o.next();
        outputs.put(e.getKey(), new LogPosition(e.getValue().path("timestamp_nanos").asLong(),
            e.getValue().path("ordinal").asInt()));
      }
      s.byContainer.put(c.getKey(), outputs);
    }
    log.info("checkpoints loaded from {}: {} containers", file, s.byContainer.size());
    return s;
  }

  /** When this store was first created: containers that stopped before then are not shipped. */
  public Instant created() {
    return created;
  }

  /** The output's position for the container, or {@link LogPosition#START} when it has none. */
  public synchronized LogPosition get(String output, String containerId) {
    Map<String, LogPosition> outputs = byContainer.get(containerId);
    LogPosition p = outputs == null ? null : outputs.get(output);
    return p == null ? LogPosition.START : p;
  }

  /** Whether any output has a position for the container. */
  public synchronized boolean has(String containerId) {
    return byContainer.containsKey(containerId);
  }

  public synchronized Set<String> containers() {
    return Set.copyOf(byContainer.keySet());
  }

  /** Moves the output's position forward to {@code position} (never backward). */
  public synchronized void advance(String output, String containerId, LogPosition position) {
    Map<String, LogPosition> outputs = byContainer.computeIfAbsent(containerId, k -> new HashMap<>());
    LogPosition old = outputs.get(output);
    if (old == null || position.isAfter(old)) {
      outputs.put(output, position);
      dirty = true;
    }
  }

  /** Drops a container's positions (it was removed and everything it wrote is shipped). */
  public synchronized void forget(String containerId) {
    if (byContainer.remove(containerId) != null) {
      dirty = true;
    }
  }

  /** Writes the file if anything changed since the last write. */
  public void flush() throws IOException {
    byte[] bytes;
    synchronized (this) {
      if (!dirty) {
        return;
      }
      bytes = serialise();
      dirty = false;
    }
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private byte[] serialise() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("created", created.toString());
    ObjectNode containers = root.putObject("containers");
    byContainer.forEach((id, outputs) -> {
      ObjectNode o = containers.putObject(id).putObject("outputs");
      outputs.forEach((name, p) -> {
        ObjectNode e = o.putObject(name);
        e.put("timestamp_nanos", p.timestampNanos());
        e.put("ordinal", p.ordinal());
        e.put("timestamp", io.swarmscope.shipper.docker.DockerTimestamps.format(p.timestampNanos()));
      });
    });
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }
}
