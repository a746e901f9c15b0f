package io.swarmscope.exporter.cgroup;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Fast reading of small cgroup and proc files: whole files, single numbers, and {@code key value}
 * lines, without regular expressions (this runs for every container on every scrape).
 */
final class KernelText {

  private KernelText() {}

  private static final int PAGE = 4096;
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[4 * PAGE]);

  /**
   * The whole file. Kernel files are read with as few system calls as possible (open, one read,
   * close: half the cost of {@link Files#readAllBytes} here). A kernel seq_file returns a short
   * read only when the next record would not fit, and no record is larger than a page, so a read
   * that leaves more than a page free has reached the end.
   */
  static String read(Path file) throws IOException {
    byte[] buf = BUFFER.get();
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      int len = 0;
      while (true) {
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          break;
        }
        len += n;
        if (buf.length - len > PAGE) {
          break;
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
          BUFFER.set(buf);
        }
      }
      return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(file.toString());
    }
  }

  /** The file's content, or null when it does not exist (an optional kernel feature). */
  static String readOptional(Path file) throws IOException {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static long readLong(Path file) throws IOException {
    return parseLong(read(file).trim());
  }

  /** A number, or {@link CgroupStats#ABSENT} when the file does not exist. */
  static long readOptionalLong(Path file) throws IOException {
    String s = readOptional(file);
    return s == null ? CgroupStats.ABSENT : parseLong(s.trim());
  }

  /** Parses a decimal, treating {@code max} (cgroup v2's "no limit") as {@link Long#MAX_VALUE}. */
  static long parseLong(String s) {
    if (s.equals("max")) {
      return Long.MAX_VALUE;
    }
    return Long.parseLong(s);
  }

  /**
   * The values of {@code keys} in {@code key value} lines (memory.stat, cpu.stat, cpuacct.stat),
   * in the order asked; {@link CgroupStats#ABSENT} for keys not present.
   */
  static long[] keyValues(String text, String... keys) {
    long[] out = new long[keys.length];
    Arrays.fill(out, CgroupStats.ABSENT);
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      if (eol < 0) {
        eol = n;
      }
      int sp = text.indexOf(' ', pos);
      if (sp > pos && sp < eol) {
        for (int k = 0; k < keys.length; k++) {
          String key = keys[k];
          if (key.length() == sp - pos && text.startsWith(key, pos)) {
            out[k] = parseLong(text.substring(sp + 1, eol).trim());
            break;
          }
        }
      }
      pos = eol + 1;
    }
    return out;
  }

  /** {@code a - b}, or ABSENT when either is. */
  static long minus(long a, long b) {
    return a < 0 || b < 0 ? CgroupStats.ABSENT : a - b;
  }

  /** The first value that is not absent. */
  static long firstPresent(long a, long b) {
    return a >= 0 ? a : b;
  }
}
