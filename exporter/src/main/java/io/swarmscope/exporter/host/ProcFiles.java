package io.swarmscope.exporter.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading small kernel files: whole, by lines, or as one number. */
public final class ProcFiles {

  private ProcFiles() {}

  public static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  public static String readTrimmed(Path file) throws IOException {
    return read(file).trim();
  }

  public static List<String> lines(Path file) throws IOException {
    return read(file).lines().toList();
  }

  public static long readLong(Path file) throws IOException {
    return Long.parseLong(readTrimmed(file));
  }

  /** Splits on runs of blanks, as the kernel's column formats need. */
  public static String[] fields(String line) {
    String t = line.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }
}
