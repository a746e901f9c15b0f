package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper for integration tests that need something from the machine (Docker, a Debian
 * binary). With {@code CI=true} a missing dependency fails the test; elsewhere it skips it, so a
 * laptop without Docker can still run the unit tests.
 */
public final class TestEnvironment {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestEnvironment() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  public static void require(boolean available, String what) {
    String message = what + " is not available on this machine (scripts/setup-host.sh installs it)";
    if (inCi()) {
      assertTrue(available, message);
    } else {
      assumeTrue(available, message);
    }
  }

  public static void requireDocker() {
    require(run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30).exitCode() == 0,
        "a Docker engine");
  }

  public static void requireBinary(String name) {
    require(run(List.of("sh", "-c", "command -v " + name), 10).exitCode() == 0, name);
  }

  /** Result of a finished process. */
  public record Exec(int exitCode, String output) {}

  /** Runs a command to completion, merging stderr into stdout. */
  public static Exec run(List<String> command, int timeoutSeconds) {
    try {
      Path out = Files.createTempFile("exec", ".log");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Exec(-1, "timed out: " + command);
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

  public static Exec runOrFail(List<String> command, int timeoutSeconds) {
    Exec e = run(command, timeoutSeconds);
    assertTrue(e.exitCode() == 0, command + " failed (" + e.exitCode() + "): " + e.output());
    return e;
  }

  /** GETs {@code url}, retrying until it answers 200 or {@code timeout} passes. */
  public static String scrape(String url, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
        last = new IOException("HTTP " + r.statusCode());
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no answer from " + url + " within " + timeout, last);
  }
}
