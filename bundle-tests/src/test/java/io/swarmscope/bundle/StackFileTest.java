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
      // TLS and basic auth on the metrics endpoints (docs/bundle.md, "Least privilege").
      List.of("stack.yml", "stack.secure.yml"),
      List.of("stack.yml", "stack.logs-only.yml", "stack.secure.yml"),
      List.of("stack.yml", "stack.encrypted-logs.yml"),
      // The UIs over TLS (docs/bundle.md, "The UIs over TLS"), also with the other options.
      List.of("stack.yml", "stack.ui-tls.yml"),
      List.of("stack.yml", "stack.metrics-only.yml", "stack.secure.yml", "stack.ui-tls.yml"),
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
      // both: the access services (Docker API proxy, UI proxy) that either half needs.
      if (!Set.of("metrics", "logs", "both").contains(half)) {
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
        "exporter", List.of("/host/proc", "/host/sys", "/rootfs", "/run/swarmscope-docker-api"),
        "log-shipper", List.of("/run/swarmscope-docker-api", "/var/lib/swarmscope-shipper"));
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

    // The secret files stack.yml and stack.ui-tls.yml read are exactly those
    // scripts/create-secrets.sh writes (the UIs' certificate only when asked to).
    Set<String> declared = new TreeSet<>();
    merged(List.of("stack.yml", "stack.ui-tls.yml")).path("secrets").forEach(s -> {
      Path file = Path.of(s.path("file").asText());
      assertEquals(Bundle.file("secrets"), file.getParent(), s.toString());
      declared.add(file.getFileName().toString());
    });
    String script = Files.readString(Bundle.file("scripts/create-secrets.sh"));
    Set<String> created = new TreeSet<>();
    Matcher m = Pattern.compile("\\$dir/([\\w.]+\\w)").matcher(script);
    while (m.find()) {
      created.add(m.group(1));
    }
    Matcher loop = Pattern.compile("for name in ([\\w ]+); do").matcher(script);
    assertTrue(loop.find(), "create-secrets.sh loop not found");
    created.addAll(List.of(loop.group(1).trim().split("\\s+")));
    Matcher fromEnv = Pattern.compile("(?m)^secret_from_env (\\w+) ").matcher(script);
    while (fromEnv.find()) {
      created.add(fromEnv.group(1));
    }
    created.remove("name");
    // Written for people, not turned into a Docker secret: the UI login's password (its hash is
    // the ui_htpasswd secret).
    created.remove("ui_admin_password");
    assertEquals(declared, created);
  }

  /**
   * scripts/deploy.sh exports SWARMSCOPE_STACK and one content hash per config and secret: every
   * name must carry both (or an edit would not reach the stack, or two stacks would share it).
   */
  @Test
  void configAndSecretNamesCarryTheStackAndTheirContentHash() {
    for (List<String> files : COMBINATIONS) {
      JsonNode plain = merged(files);
      Map<String, String> env = new java.util.TreeMap<>();
      env.put("SWARMSCOPE_STACK", "other-stack");
      for (String section : List.of("configs", "secrets")) {
        String kind = section.equals("configs") ? "CONFIG" : "SECRET";
        plain.path(section).fieldNames().forEachRemaining(key ->
            env.put("SWARMSCOPE_" + kind + "_" + key.toUpperCase(), "h" + Integer.toHexString(key.hashCode())));
      }
      JsonNode hashed = merged(files, env);
      List<String> problems = new ArrayList<>();
      for (String section : List.of("configs", "secrets")) {
        String kind = section.equals("configs") ? "CONFIG" : "SECRET";
        plain.path(section).fields().forEachRemaining(e -> {
          String key = e.getKey();
          String before = e.getValue().path("name").asText();
          String after = hashed.path(section).path(key).path("name").asText();
          String hash = env.get("SWARMSCOPE_" + kind + "_" + key.toUpperCase());
          if (!before.startsWith("swarmscope_") || !before.endsWith("_1")) {
            problems.add(section + "." + key + " without deploy.sh is '" + before + "', not swarmscope_..._1");
          }
          if (!after.equals(before.replaceFirst("^swarmscope_", "other-stack_").replaceFirst("_1$", "_" + hash))) {
            problems.add(section + "." + key + " with deploy.sh's variables is '" + after + "'");
          }
          // Swarm's limit, with a 24-character stack name (deploy.sh's maximum) and 12 hex digits.
          int longest = before.length() - "swarmscope".length() + 24 - 1 + 12;
          if (longest > 64) {
            problems.add(section + "." + key + ": up to " + longest + " characters, Swarm allows 64");
          }
        });
      }
      assertEquals(List.of(), problems, String.join(" + ", files));
    }
  }

  /**
   * Rolling updates: every service has update_config and rollback_config; what holds a volume, a
   * lock or a published port replaces stop-first; a failed update rolls back; long-running
   * services have a health check to gate it; the one-shot setup job is never rolled back for
   * completing.
   */
  @Test
  void everyServiceUpdatesAndRollsBackSafely() {
    JsonNode stack = merged(List.of("stack.yml"));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> s : services(stack)) {
      String name = s.getKey();
      JsonNode svc = s.getValue();
      JsonNode update = svc.path("deploy").path("update_config");
      JsonNode rollback = svc.path("deploy").path("rollback_config");
      if (update.isMissingNode() || rollback.isMissingNode()) {
        problems.add(name + ": no update_config or rollback_config");
        continue;
      }
      boolean stateful = svc.path("volumes").toString().contains("\"type\":\"volume\"")
          || svc.path("deploy").path("mode").asText().equals("global") || svc.has("ports");
      for (JsonNode c : List.of(update, rollback)) {
        if (stateful && !c.path("order").asText().equals("stop-first")) {
          problems.add(name + ": holds a volume, a host port or runs on every node, but order is " + c.path("order"));
        }
        if (c.path("parallelism").asInt(-1) != 1) {
          problems.add(name + ": parallelism " + c.path("parallelism"));
        }
      }
      if (name.equals("setup")) {
        if (!update.path("failure_action").asText().equals("continue")) {
          problems.add("setup: a completed one-shot task must not roll the update back");
        }
      } else {
        if (!update.path("failure_action").asText().equals("rollback")) {
          problems.add(name + ": update failure_action " + update.path("failure_action"));
        }
        if (svc.path("healthcheck").path("test").isEmpty()) {
          problems.add(name + ": no health check gates its rollout");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Links that leave the cluster start with the external URLs given at deploy time. */
  @Test
  void externalUrlsAreSetForLinksOutsideTheCluster() {
    Map<String, String> env = Map.of("GRAFANA_EXTERNAL_URL", "https://grafana.example.org",
        "PROMETHEUS_EXTERNAL_URL", "https://prometheus.example.org",
        "ALERTMANAGER_EXTERNAL_URL", "https://alertmanager.example.org", "KIBANA_PUBLIC_URL", "https://kibana.example.org");
    JsonNode stack = merged(List.of("stack.yml"), env);
    JsonNode services = stack.path("services");
    assertTrue(services.path("prometheus").path("command").toString().contains("--web.external-url=https://prometheus.example.org"));
    assertTrue(services.path("alertmanager").path("command").toString().contains("--web.external-url=https://alertmanager.example.org"));
    assertEquals("https://grafana.example.org", services.path("grafana").path("environment").path("GF_SERVER_ROOT_URL").asText());
    assertEquals("https://grafana.example.org", services.path("prometheus").path("environment").path("GRAFANA_EXTERNAL_URL").asText());
    assertEquals("https://kibana.example.org", services.path("prometheus").path("environment").path("KIBANA_PUBLIC_URL").asText());
    assertEquals("https://kibana.example.org", services.path("kibana").path("environment").path("SERVER_PUBLICBASEURL").asText());
    JsonNode labels = Bundle.yaml("config/prometheus/prometheus.yml").path("global").path("external_labels");
    assertEquals("${GRAFANA_EXTERNAL_URL}", labels.path("grafana_url").asText());
    assertEquals("${KIBANA_PUBLIC_URL}", labels.path("kibana_url").asText());
  }

  @Test
  void theHalfOverridesScaleExactlyTheOtherHalfToZero() {
    JsonNode full = merged(List.of("stack.yml"));
    for (String half : List.of("metrics", "logs")) {
      String override = "stack." + half + "-only.yml";
      JsonNode merged = merged(List.of("stack.yml", override));
      for (Map.Entry<String, JsonNode> s : services(full)) {
        String its = s.getValue().path("deploy").path("labels").path("io.swarmscope.half").asText();
        boolean ours = its.equals(half) || its.equals("both");
        JsonNode deploy = merged.path("services").path(s.getKey()).path("deploy");
        boolean zero = deploy.path("mode").asText("replicated").equals("replicated")
            && deploy.path("replicas").isInt() && deploy.path("replicas").asInt() == 0;
        assertEquals(!ours, zero, override + ": service " + s.getKey() + " (half "
            + s.getValue().path("deploy").path("labels").path("io.swarmscope.half").asText() + ")");
      }
    }
  }

  /** For existing Prometheus/Elasticsearch/Grafana: only the two agents (and their Docker API proxy) run. */
  @Test
  void agentsOnlyOverrideRunsTheExporterAndTheShipperOnly() {
    Tools.require("docker");
    Tools.Exec without = Tools.run(List.of("docker", "stack", "config", "-c", "stack.yml", "-c", "stack.agents-only.yml"), 60);
    assertTrue(without.exitCode() != 0 && without.output().contains("the URL of your Elasticsearch"), without.output());
    JsonNode merged = merged(List.of("stack.yml", "stack.agents-only.yml"),
        Map.of("SWARMSCOPE_ELASTICSEARCH_URL", "https://es.example.org:9200"));
    for (Map.Entry<String, JsonNode> s : services(merged)) {
      JsonNode deploy = s.getValue().path("deploy");
      boolean runs = deploy.path("mode").asText().equals("global") || deploy.path("replicas").asInt(1) > 0;
      // The agents read the engine through the read-only Docker API proxy, so it runs too.
      assertEquals(Set.of("exporter", "log-shipper", "docker-api-proxy").contains(s.getKey()), runs, s.getKey());
    }
    assertEquals("https://es.example.org:9200", merged.path("services").path("log-shipper").path("environment")
        .path("SWARMSCOPE_ELASTICSEARCH_URL").asText());
    assertTrue(merged.path("networks").path("monitoring").path("attachable").asBoolean(),
        "an existing Prometheus attaches to the monitoring network to scrape the agents");
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
  void theEncryptedLogsOverrideOnlyEncryptsTheLoggingNetwork() {
    JsonNode plain = merged(List.of("stack.yml"));
    JsonNode encrypted = merged(List.of("stack.yml", "stack.encrypted-logs.yml"));
    com.fasterxml.jackson.databind.node.ObjectNode logging =
        (com.fasterxml.jackson.databind.node.ObjectNode) encrypted.path("networks").path("logging").deepCopy();
    assertEquals("", logging.path("driver_opts").path("encrypted").asText(null));
    logging.remove("driver_opts");
    assertEquals(plain.path("networks").path("logging"), logging);
    assertEquals(plain.path("services"), encrypted.path("services"));
  }

  @Test
  void promtoolAcceptsThePrometheusConfig() {
    Tools.require("promtool");
    Tools.succeed(List.of("promtool", "check", "config", "--syntax-only", "config/prometheus/prometheus.yml"), 60);
  }

  static JsonNode merged(List<String> files) {
    return merged(files, Map.of());
  }

  static JsonNode merged(List<String> files, Map<String, String> env) {
    Tools.require("docker");
    List<String> command = new ArrayList<>(List.of("docker", "stack", "config"));
    files.forEach(f -> {
      command.add("-c");
      command.add(f);
    });
    Tools.Exec exec = Tools.run(command, env, 60);
    assertEquals(0, exec.exitCode(), () -> String.join(" ", command) + " failed:\n" + exec.output());
    String out = exec.output();
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
