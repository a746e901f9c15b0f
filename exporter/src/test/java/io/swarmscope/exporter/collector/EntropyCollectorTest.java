package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntropyCollectorTest {

  @TempDir Path dir;

  @Test
  void exportsAvailableBitsAndPoolSize() {
    var tree = new FixtureTree(dir)
        .file("proc/sys/kernel/random/entropy_avail", "3011\n")
        .file("proc/sys/kernel/random/poolsize", "4096\n");
    assertEquals("""
        # HELP node_entropy_available_bits Bits of available entropy.
        # TYPE node_entropy_available_bits gauge
        node_entropy_available_bits 3011.0
        # HELP node_entropy_pool_size_bits Bits of entropy pool.
        # TYPE node_entropy_pool_size_bits gauge
        node_entropy_pool_size_bits 4096.0
        """, Exposition.text(new EntropyCollector(tree.paths())));
  }

  @Test
  void missingPoolSizeIsAnErrorNotNoData() {
    var tree = new FixtureTree(dir).file("proc/sys/kernel/random/entropy_avail", "3011\n");
    var e = assertThrows(IOException.class,
        () -> new EntropyCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException);
  }

  @Test
  void garbageIsAnError() {
    var tree = new FixtureTree(dir)
        .file("proc/sys/kernel/random/entropy_avail", "lots\n")
        .file("proc/sys/kernel/random/poolsize", "4096\n");
    assertThrows(IOException.class, () -> new EntropyCollector(tree.paths()).collect(new ArrayList<>()));
  }
}
