package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * stack.yml and its override files: the docker CLI accepts every documented combination
 * (`docker stack config`, which merges and interpolates as `docker stack deploy` does), and the
 * merged result has what the bundle promises: pinned images, resource limits, the host mounts
 * and health checks of the global services, Prometheus on a manager, secrets from files with no
 * password in the environment, every config file present, and halves that split cleanly.
 */
class StackFileTest {

  private static final List<List<String>> COMBINATIONS = List.of(
      List.of("stack.yml"),
      List.of("stack.yml", "stack.metrics-only.yml"),
      List.of("stack.yml", "stack.logs-only.yml"),
      // The single-node machine (README "Try it on one machine", StackDeployIT), also with a half.
      List.of("stack.yml", "stack.single-node-test.yml"),
      List.of("stack.yml", "stack.metrics-only.yml", "stack.single-node-test.yml"),
      // The multi-node Docker-in-Docker bed (docs/test-bed.md, SwarmBedIT).
      List.of("stack.yml", "stack.single-node-test.yml", "stack.multi-node-test.yml"));

  @Test
  void dockerAcceptsEveryDocumentedCombination() {
    for (List<String> files : COMBINATIONS) {
      merged(files);
    }
  }

  @Test
  void everyServiceIsPinnedLimitedAndInAHalf() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> s : services(merged(List.of("stack.yml")))) {
      String name = s.getKey();
      JsonNode svc = s.getValue();
      String image = svc.path("image").asText();
      if (!image.matches(".+:[^/:]+") || image.endsWith(":latest")) {
        problems.add(name + ": image not pinned: " + image);
      }
      if (svc.path("deploy").path("resources").path("limits").path("memory").isMissingNode()) {
        problems.add(name + ": no memory limit");
      }
      String half = svc.path("deploy").path("labels").path("io.swarmscope.half").asText();
      if (!Set.of("metrics", "logs").contains(half)) {
        problems.add(name + ": deploy label io.swarmscope.half is '" + half + "'");
      }
      svc.path("environment").fields().forEachRemaining(e -> {
        if (e.getKey().toUpperCase().contains("PASSWORD") && !e.getKey().toUpperCase().endsWith("FILE")) {
          problems.add(name + ": password in the environment: " + e.getKey());
        }
      });
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void globalCollectorsHaveTheirMountsAndHealthChecks() {
    JsonNode stack = merged(List.of("stack.yml"));
    Map<String, List<String>> mounts = Map.of(
        "exporter", List.of("/host/proc", "/host/sys", "/rootfs", "/var/run/docker.sock"),
        "log-shipper", List.of("/var/run/docker.sock", "/var/lib/swarmscope-shipper"));
    for (Map.Entry<String, List<String>> e : mounts.entrySet()) {
      JsonNode svc = stack.path("services").path(e.getKey());
      assertEquals("global", svc.path("deploy").path("mode").asText(), e.getKey());
      assertTrue(svc.path("healthcheck").path("test").size() > 0, e.getKey() + " has no healthcheck");
      Set<String> targets = new TreeSet<>();
      svc.path("volumes").forEach(v -> targets.add(v.path("target").asText()));
      assertTrue(targets.containsAll(e.getValue()), e.getKey() + " mounts " + targets);
      assertTrue(svc.path("deploy").path("labels").has("io.swarmscope.scrape.job"), e.getKey());
    }
    JsonNode prometheus = stack.path("services").path("prometheus");
    assertTrue(prometheus.path("deploy").path("placement").path("constraints").toString()
        .contains("node.role == manager"), "Prometheus must run on a manager (Swarm discovery)");
    assertTrue(stack.path("networks").path("monitoring").path("driver").asText().equals("overlay"));
    assertEquals("monitoring", stack.path("networks").path("monitoring").path("labels")
        .path("io.swarmscope.network").asText(), "prometheus.yml keeps targets on this network label");
  }

  @Test
  void configsAndSecretsComeFromFilesThatExist() throws IOException {
    JsonNode stack = merged(List.of("stack.yml"));
    List<String> missing = new ArrayList<>();
    stack.path("configs").forEach(c -> {
      if (!Files.isRegularFile(Path.of(c.path("file").asText()))) {
        missing.add(c.path("file").asText());
      }
    });
    assertEquals(List.of(), missing, "configs whose file is missing");

    Set<String> mountedDashboards = new TreeSet<>();
    stack.path("configs").forEach(c -> {
      String f = c.path("file").asText();
      if (Path.of(f).startsWith(Bundle.file("dashboards"))) {
        mountedDashboards.add(Path.of(f).getFileName().toString());
      }
    });
    Set<String> dashboards = new TreeSet<>();
    Dashboards.files().forEach(p -> dashboards.add(p.getFileName().toString()));
    assertEquals(dashboards, mountedDashboards, "every dashboard is provisioned through a config");

    // The secrets stack.yml reads are exactly those scripts/create-secrets.sh writes.
    Set<String> declared = new TreeSet<>();
    stack.path("secrets").fieldNames().forEachRemaining(declared::add);
    stack.path("secrets").forEach(s -> assertTrue(s.path("file").asText().contains("/secrets/"), s.toString()));
    String script = Files.readString(Bundle.file("scripts/create-secrets.sh"));
    Set<String> created = new TreeSet<>();
    Matcher m = Pattern.compile("\\$dir/(\\w+)").matcher(script);
    while (m.find()) {
      created.add(m.group(1));
    }
    Matcher loop = Pattern.compile("for name in ([\\w ]+); do").matcher(script);
    assertTrue(loop.find(), "create-secrets.sh loop not found");
    created.addAll(List.of(loop.group(1).trim().split("\\s+")));
    created.remove("name");
    assertEquals(declared, created);
  }

  @Test
  void theHalfOverridesScaleExactlyTheOtherHalfToZero() {
    JsonNode full = merged(List.of("stack.yml"));
    for (String half : List.of("metrics", "logs")) {
      String override = "stack." + half + "-only.yml";
      JsonNode merged = merged(List.of("stack.yml", override));
      for (Map.Entry<String, JsonNode> s : services(full)) {
        boolean ours = s.getValue().path("deploy").path("labels").path("io.swarmscope.half").asText().equals(half);
        JsonNode deploy = merged.path("services").path(s.getKey()).path("deploy");
        boolean zero = deploy.path("mode").asText("replicated").equals("replicated")
            && deploy.path("replicas").isInt() && deploy.path("replicas").asInt() == 0;
        assertEquals(!ours, zero, override + ": service " + s.getKey() + " (half "
            + s.getValue().path("deploy").path("labels").path("io.swarmscope.half").asText() + ")");
      }
    }
  }

  @Test
  void singleNodeOverrideAvoidsVipsAndTheRoutingMesh() {
    JsonNode merged = merged(COMBINATIONS.get(3));
    for (Map.Entry<String, JsonNode> s : services(merged)) {
      assertEquals("dnsrr", s.getValue().path("deploy").path("endpoint_mode").asText(), s.getKey());
      s.getValue().path("ports").forEach(p -> assertEquals("host", p.path("mode").asText(), s.getKey() + " " + p));
    }
  }

  @Test
  void promtoolAcceptsThePrometheusConfig() {
    Tools.require("promtool");
    Tools.succeed(List.of("promtool", "check", "config", "--syntax-only", "config/prometheus/prometheus.yml"), 60);
  }

  private static JsonNode merged(List<String> files) {
    Tools.require("docker");
    List<String> command = new ArrayList<>(List.of("docker", "stack", "config"));
    files.forEach(f -> {
      command.add("-c");
      command.add(f);
    });
    String out = Tools.succeed(command, 60);
    try {
      return Bundle.YAML.readTree(out);
    } catch (IOException e) {
      throw new AssertionError("docker stack config printed no YAML: " + out, e);
    }
  }

  private static List<Map.Entry<String, JsonNode>> services(JsonNode stack) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = stack.path("services").fields();
    it.forEachRemaining(out::add);
    return out;
  }
}
