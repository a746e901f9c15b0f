package io.swarmscope.exporter.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.swarmscope.common.docker.DockerClients;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper for tests against the real engine: a client, the rule that with {@code CI=true} a
 * missing Docker fails the test (elsewhere it skips), and polling until a condition holds.
 */
public final class DockerTestSupport {

  /** Label put on everything the tests create, so cleanup finds it. */
  public static final String TEST_LABEL = "io.swarmscope.test";
  public static final String SOCKET = "unix:///var/run/docker.sock";

  private DockerTestSupport() {}

  public static DockerClient client() {
    DockerClient client = DockerClients.create(SOCKET);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      if ("true".equals(System.getenv("CI"))) {
        fail("Docker is required in CI but unreachable at " + SOCKET + ": " + e);
      }
      Assumptions.abort("Docker unreachable at " + SOCKET + ": " + e);
    }
    return client;
  }

  /**
   * Polls {@code condition} every 200 ms until it holds; fails after {@code limit}. The limit only
   * bounds a broken run, it is not what the test asserts.
   */
  public static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }
}
