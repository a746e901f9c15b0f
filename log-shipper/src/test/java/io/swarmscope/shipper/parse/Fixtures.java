package io.swarmscope.shipper.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Reads the recorded fixtures under {@code src/test/resources/parse/}. */
final class Fixtures {

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/parse/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The fixture's lines, without their newlines (a final newline ends the last line). */
  static List<String> lines(String name) {
    String t = text(name);
    if (t.endsWith("\n")) {
      t = t.substring(0, t.length() - 1);
    }
    return Arrays.asList(t.split("\n", -1));
  }

  /** A one-line fixture, without its newline. */
  static String line(String name) {
    List<String> l = lines(name);
    if (l.size() != 1) {
      throw new IllegalArgumentException(name + " has " + l.size() + " lines");
    }
    return l.get(0);
  }
}
