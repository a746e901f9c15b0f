package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Containers for the shipper's integration tests, run with the docker CLI on the real engine:
 * every one carries {@code io.swarmscope.test=shipper} and the run's label, so the shipper under
 * test follows only them and {@link #close()} removes them. With {@code CI=true} a missing Docker
 * fails the test, elsewhere it skips.
 */
public final class Workloads implements AutoCloseable {

  public static final String IMAGE = "local/busybox:1";
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> created = new ArrayList<>();

  public Workloads() {
    requireDocker();
  }

  public static void requireDocker() {
    Exec r = exec(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30);
    String message = "a Docker engine (scripts/setup-host.sh starts one): " + r.output();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertEquals(0, r.exitCode(), message);
    } else {
      org.junit.jupiter.api.Assumptions.assumeTrue(r.exitCode() == 0, message);
    }
  }

  /** The label filter that makes a shipper follow only this run's containers. */
  public String includeLabel() {
    return "io.swarmscope.test.run=" + run;
  }

  public String run() {
    return run;
  }

  /** Starts a detached container running {@code script} under busybox sh; returns its id. */
  public String start(String name, List<String> dockerArgs, String script) {
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name + "-" + run,
        "--label", "io.swarmscope.test=shipper", "--label", includeLabel()));
    cmd.addAll(dockerArgs);
    cmd.addAll(List.of(IMAGE, "sh", "-c", script));
    Exec r = exec(cmd, 60);
    assertEquals(0, r.exitCode(), "docker run failed: " + r.output());
    String id = r.output().trim();
    created.add(id);
    return id;
  }

  /** A shell loop printing {@code prefix i} for i in 1..n, pausing {@code usleep} µs every line. */
  public static String numbered(String prefix, int n, int usleep) {
    return "i=1; while [ $i -le " + n + " ]; do echo \"" + prefix + " $i\"; "
        + (usleep > 0 ? "usleep " + usleep + "; " : "") + "i=$((i+1)); done";
  }

  public void awaitExit(String id, Duration limit) {
    await("container " + id + " to exit", limit,
        () -> "false".equals(inspect(id, "{{.State.Running}}")));
  }

  public String inspect(String id, String format) {
    return exec(List.of("docker", "inspect", "--format", format, id), 30).output().trim();
  }

  public static Exec docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Exec r = exec(cmd, 120);
    assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.output());
    return r;
  }

  @Override
  public void close() {
    for (String id : created) {
      exec(List.of("docker", "rm", "-f", id), 60);
    }
  }

  /** Polls until {@code condition} holds; the limit only bounds a broken run. */
  public static void await(String what, Duration limit, BooleanSupplier condition) {
    await(what, limit, condition, () -> "");
  }

  /** As {@link #await(String, Duration, BooleanSupplier)}, adding {@code state} to the failure. */
  public static void await(String what, Duration limit, BooleanSupplier condition,
      java.util.function.Supplier<String> state) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up waiting for " + what + "; " + state.get());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  public record Exec(int exitCode, String output) {}

  public static Exec exec(List<String> command, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Exec(-1, "timed out: " + command);
      }
      return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Exec(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exec(-1, "interrupted");
    }
  }

  static void check(boolean condition, String message) {
    assertTrue(condition, message);
  }
}
