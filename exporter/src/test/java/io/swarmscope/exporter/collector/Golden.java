package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: compares output with a golden file under {@code src/test/resources/golden/}. Run with
 * {@code -Dgolden.update=true} to rewrite the files from the current output (then review the diff).
 */
public final class Golden {

  private static final Path DIR = Path.of("src/test/resources/golden");

  private Golden() {}

  public static void assertMatches(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(DIR);
        Files.writeString(file, actual);
        return;
      }
      assertEquals(Files.readString(file), actual, "golden file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
