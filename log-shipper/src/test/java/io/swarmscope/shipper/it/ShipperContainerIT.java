package io.swarmscope.shipper.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipper image on the real engine, as an operator runs it on a plain Docker host: the
 * Docker socket mounted read-only, the default stdout output. It reports the engine's hostname,
 * ships the other containers and skips its own logs.
 */
class ShipperContainerIT {

  static final String IMAGE = "local/swarmscope-log-shipper:test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private Workloads workloads;
  private String shipper;

  @BeforeEach
  void setUp() {
    workloads = new Workloads();
    Workloads.Exec build = Workloads.exec(List.of("docker", "build", "-q", "--build-arg",
        "BASE=local/eclipse-temurin:25-jre", "-t", IMAGE, "."), 300);
    assertEquals(0, build.exitCode(), "image build: " + build.output());
  }

  @AfterEach
  void tearDown() {
    if (shipper != null) {
      Workloads.exec(List.of("docker", "rm", "-f", shipper), 60);
    }
    workloads.close();
  }

  @Test
  void imageShipsOtherContainersWithTheEngineHostnameAndSkipsItself() {
    String hostname = Workloads.docker("info", "--format", "{{.Name}}").output().trim();
    shipper = Workloads.docker("run", "-d", "--label", "io.swarmscope.test=shipper",
        "--hostname", "not-the-node", "-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
        "--tmpfs", "/var/lib/swarmscope-shipper",
        "-e", "SWARMSCOPE_INCLUDE_LABELS=" + workloads.includeLabel() + ",io.swarmscope.test=shipper",
        IMAGE).output().trim();
    Workloads.await("shipper started", Duration.ofMinutes(1),
        () -> Workloads.exec(List.of("docker", "logs", shipper), 30).output().contains("shipping logs of node"));
    String id = workloads.start("plain", List.of(), Workloads.numbered("plain", 20, 0));
    workloads.awaitExit(id, Duration.ofMinutes(1));
    Workloads.await("20 events on the shipper's stdout", Duration.ofMinutes(1),
        () -> events().stream().filter(e -> e.path("container").path("id").asText().equals(id)).count() == 20);
    List<JsonNode> events = events();
    for (JsonNode e : events) {
      assertEquals(hostname, e.path("host").path("name").asText(), "the node's hostname, not the container's");
      assertFalse(e.path("container").path("id").asText().startsWith(shipper.substring(0, 12)),
          "the shipper shipped its own log: " + e);
    }
    assertTrue(events.stream().anyMatch(e -> e.path("message").asText().equals("plain 20")));
  }

  /** The JSON events on the shipper's stdout (its own logs go to stderr). */
  private List<JsonNode> events() {
    Workloads.Exec r = Workloads.exec(List.of("sh", "-c", "docker logs " + shipper + " 2>/dev/null"), 30);
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.output().split("\n")) {
      if (line.startsWith("{\"@timestamp\"") && line.contains("\"container\"")) {
        try {
          out.add(JSON.readTree(line));
        } catch (Exception e) {
          throw new AssertionError("not JSON: " + line, e);
        }
      }
    }
    return out;
  }
}
