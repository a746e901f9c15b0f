package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine's tools (promtool, amtool, prometheus, node_exporter, docker) for the tests. With
 * {@code CI=true} a missing tool fails the test; elsewhere it skips, so a laptop without the
 * Debian Prometheus packages can still build. scripts/setup-host.sh installs them all.
 */
final class Tools {

  private Tools() {}

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static void require(String binary) {
    boolean found = run(List.of("sh", "-c", "command -v " + binary), 10).exitCode() == 0;
    String message = binary + " is not on PATH (scripts/setup-host.sh installs it)";
    if (inCi()) {
      assertTrue(found, message);
    } else {
      assumeTrue(found, message);
    }
  }

  /** Result of a finished process, stderr merged into stdout. */
  record Exec(int exitCode, String output) {}

  static Exec run(List<String> command, int timeoutSeconds) {
    return run(command, Map.of(), timeoutSeconds);
  }

  /** Runs to completion in the repository root with {@code env} added; stderr into stdout. */
  static Exec run(List<String> command, Map<String, String> env, int timeoutSeconds) {
    try {
      Path out = Files.createTempFile("bundle-exec", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Bundle.root().toFile())
            .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          return new Exec(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n"
              + Files.readString(out));
        }
        return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return new Exec(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exec(-1, "interrupted");
    }
  }

  /** Runs the command and fails the test, with its output, unless it exits 0. */
  static String succeed(List<String> command, int timeoutSeconds) {
    Exec e = run(command, timeoutSeconds);
    assertEquals(0, e.exitCode(), () -> String.join(" ", command) + " failed:\n" + e.output());
    return e.output();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls every 500 ms until {@code probe} gives a value (exceptions count as "not yet"); the
   * limit only bounds a broken run, and the last exception is in the failure message.
   */
  static <T> T await(String what, java.time.Duration limit, java.util.function.Supplier<T> probe) {
    java.time.Instant deadline = java.time.Instant.now().plus(limit);
    RuntimeException last = null;
    while (java.time.Instant.now().isBefore(deadline)) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return org.junit.jupiter.api.Assertions.fail("gave up waiting for " + what
        + (last == null ? "" : ": " + last));
  }

  /**
   * Polls every 500 ms until {@code probe} gives a value; an exception from the probe ends the
   * wait at once. On timeout the failure names what was awaited, followed by {@code diagnostics}
   * (computed only then).
   */
  static <T> T awaitOrFail(String what, java.time.Duration timeout, java.util.function.Supplier<T> probe,
      java.util.function.Supplier<String> diagnostics) {
    java.time.Instant deadline = java.time.Instant.now().plus(timeout);
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (java.time.Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
            + diagnostics.get());
      }
      sleep(500);
    }
  }

  /** Thread.sleep that turns an interrupt into a test failure (keeping the interrupt flag). */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
