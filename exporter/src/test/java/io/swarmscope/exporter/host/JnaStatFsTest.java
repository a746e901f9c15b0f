package io.swarmscope.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JnaStatFsTest {

  @TempDir Path dir;

  @Test
  void agreesWithTheJdksViewOfTheSameFilesystem() throws IOException {
    StatFs.Result r = new JnaStatFs().stat(dir);
    FileStore store = Files.getFileStore(dir);
    // The JDK computes total space as f_blocks * f_frsize, equal to f_bsize on Linux filesystems.
    assertEquals(store.getTotalSpace(), r.blocks() * r.blockSize());
    assertTrue(r.blocksAvailable() <= r.blocksFree() && r.blocksFree() <= r.blocks(), r.toString());
    assertTrue(r.filesFree() <= r.files(), r.toString());
  }

  @Test
  void missingPathIsAnIoError() {
    assertThrows(IOException.class, () -> new JnaStatFs().stat(dir.resolve("no-such-dir")));
  }
}
