package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilefdCollectorTest {

  @TempDir Path dir;

  @Test
  void exportsAllocatedAndMaximum() {
    var tree = new FixtureTree(dir).file("proc/sys/fs/file-nr", "516\t0\t2466170\n");
    assertEquals("""
        # HELP node_filefd_allocated File descriptor statistics: allocated.
        # TYPE node_filefd_allocated gauge
        node_filefd_allocated 516.0
        # HELP node_filefd_maximum File descriptor statistics: maximum.
        # TYPE node_filefd_maximum gauge
        node_filefd_maximum 2466170.0
        """, Exposition.text(new FilefdCollector(tree.paths())));
  }

  @Test
  void truncatedFileIsAnError() {
    var tree = new FixtureTree(dir).file("proc/sys/fs/file-nr", "516\t0\n");
    assertThrows(Exception.class, () -> new FilefdCollector(tree.paths()).collect(new ArrayList<>()));
  }

  @Test
  void missingFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(Exception.class, () -> new FilefdCollector(tree.paths()).collect(new ArrayList<>()));
  }
}
