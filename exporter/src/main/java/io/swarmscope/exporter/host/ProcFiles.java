package io.swarmscope.exporter.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading small kernel files: whole, by lines, or as one number. */
public final class ProcFiles {

  private ProcFiles() {}

  /**
   * The whole file, taken with one large first read. {@code Files.readAllBytes} must not be used:
   * for files that report size 0 it reads a single byte first, and sysctl files such as
   * {@code /proc/sys/fs/file-nr} answer any read past offset 0 with end-of-file, so it returned
   * just the first digit.
   */
  public static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
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
    // A hand-rolled scan: String.split("\\s+") compiles a regex on every call, and scrapes
    // split thousands of lines.
    int n = line.length();
    int count = 0;
    for (int i = 0; i < n; ) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      if (i < n) {
        count++;
        while (i < n && line.charAt(i) > ' ') {
          i++;
        }
      }
    }
    String[] out = new String[count];
    int k = 0;
    for (int i = 0; i < n; ) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      int start = i;
      while (i < n && line.charAt(i) > ' ') {
        i++;
      }
      if (i > start) {
        out[k++] = line.substring(start, i);
      }
    }
    return out;
  }

  /**
   * Parses a kernel counter printed as an unsigned 64-bit decimal. Values above 2^63 (possible
   * after long uptimes) keep their magnitude instead of turning negative.
   */
  public static double unsigned(String digits) {
    long v = Long.parseUnsignedLong(digits);
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }
}
