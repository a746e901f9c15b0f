package io.swarmscope.shipper.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.shipper.pipeline.LogPosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint file survives shipper upgrades: {@code checkpoint/format-1.json} is a file as
 * shipper 0.1.0 writes it (format 1), kept unchanged as the fixture every later version must read.
 * A newer format this version does not know is refused with a clear error and left untouched.
 */
class CheckpointStoreTest {

  private static final String ES_CONTAINER = "8d3c0a6f1b2e4d5c9a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918";
  private static final String OTHER_CONTAINER = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void readsTheFormat1FileOfAnEarlierShipper(@TempDir Path dir) throws IOException {
    fixture(dir);
    CheckpointStore store = CheckpointStore.open(dir, NOW);
    assertEquals(Instant.parse("2025-11-30T07:59:00Z"), store.created(), "created is kept, not reset to now");
    assertEquals(Set.of(ES_CONTAINER, OTHER_CONTAINER), store.containers());
    assertEquals(new LogPosition(1764489600123456789L, 2), store.get("elasticsearch", ES_CONTAINER));
    assertEquals(new LogPosition(1764489599000000001L, 0), store.get("logstash", ES_CONTAINER));
    assertEquals(new LogPosition(1764489500000000000L, 0), store.get("elasticsearch", OTHER_CONTAINER));
    assertEquals(LogPosition.START, store.get("logstash", OTHER_CONTAINER));
  }

  @Test
  void writesBackTheSameFormatAndReadsItAgain(@TempDir Path dir) throws IOException {
    fixture(dir);
    CheckpointStore store = CheckpointStore.open(dir, NOW);
    store.advance("elasticsearch", ES_CONTAINER, new LogPosition(1764489601000000000L, 0));
    store.advance("elasticsearch", OTHER_CONTAINER, new LogPosition(1, 0)); // backwards: ignored
    store.flush();
    String written = Files.readString(dir.resolve(CheckpointStore.FILE));
    assertTrue(written.contains("\"format\" : " + CheckpointStore.FORMAT), written);
    assertTrue(written.contains("\"timestamp\" : \"2025-11-30T08:00:01.000000000Z\""), written);
    CheckpointStore reopened = CheckpointStore.open(dir, NOW.plusSeconds(60));
    assertEquals(new LogPosition(1764489601000000000L, 0), reopened.get("elasticsearch", ES_CONTAINER));
    assertEquals(new LogPosition(1764489500000000000L, 0), reopened.get("elasticsearch", OTHER_CONTAINER));
    assertEquals(Instant.parse("2025-11-30T07:59:00Z"), reopened.created());
    assertFalse(Files.exists(dir.resolve(CheckpointStore.FILE + ".tmp")));
  }

  @Test
  void refusesAFormatItDoesNotKnowAndKeepsTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(CheckpointStore.FILE);
    Files.writeString(file, "{\"format\": 2, \"created\": \"2027-01-01T00:00:00Z\", \"nodes\": {}}");
    byte[] before = Files.readAllBytes(file);
    IOException e = assertThrows(IOException.class, () -> CheckpointStore.open(dir, NOW));
    assertTrue(e.getMessage().contains("checkpoint format 2") && e.getMessage().contains("reads format 1")
        && e.getMessage().contains("Keep the file"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file), "the unknown file is left as it was");
  }

  private static void fixture(Path dir) throws IOException {
    try (InputStream in = CheckpointStoreTest.class.getResourceAsStream("/checkpoint/format-1.json")) {
      Files.copy(in, dir.resolve(CheckpointStore.FILE));
    }
  }
}
