package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A stack deployed on the machine's swarm for a test, seen through the docker CLI and the host
 * ports of stack.single-node-test.yml (Prometheus 9090, Elasticsearch 9200): convergence, removal
 * with its volumes, waiting, queries. Commands run in {@code dir} (a copy of the bundle).
 */
final class LiveStack {

  static final String PROMETHEUS = "http://127.0.0.1:9090";
  static final String ELASTICSEARCH = "http://127.0.0.1:9200";

  private final String name;
  private final Path dir;
  private final JsonHttp json = new JsonHttp();

  LiveStack(String name, Path dir) {
    this.name = name;
    this.dir = dir;
  }

  String name() {
    return name;
  }

  /** With {@code CI=true} a missing swarm fails the test; elsewhere it skips. */
  static void requireSwarm() {
    Tools.require("docker");
    Tools.Exec info = Tools.run(List.of("docker", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"), 30);
    String message = "no active swarm manager (scripts/setup-host.sh makes one): " + info.output();
    boolean ok = info.exitCode() == 0 && info.output().strip().equals("active true");
    if (Tools.inCi()) {
      assertTrue(ok, message);
    } else {
      assumeTrue(ok, message);
    }
  }

  /** Runs a shell command in the bundle copy. */
  Tools.Exec sh(String command, Map<String, String> env, int timeoutSeconds) {
    return Tools.run(List.of("bash", "-euo", "pipefail", "-c", "cd '" + dir + "' && " + command), env, timeoutSeconds);
  }

  static String docker(int timeoutSeconds, String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Tools.Exec e = Tools.run(command, timeoutSeconds);
    assertEquals(0, e.exitCode(), () -> String.join(" ", command) + " failed:\n" + e.output());
    return e.output();
  }

  /** Every service runs all its tasks, and the one-shot setup job has completed. */
  boolean converged() {
    String services = docker(30, "stack", "services", name, "--format", "{{.Name}} {{.Replicas}}");
    for (String line : services.strip().split("\n")) {
      String[] f = line.split(" ");
      String[] replicas = f[1].split("/");
      if (f[0].equals(name + "_setup")) {
        if (!docker(30, "service", "ps", f[0], "--format", "{{.CurrentState}}").contains("Complete")) {
          return false;
        }
      } else if (!replicas[0].equals(replicas[1].replaceAll("\\D.*", ""))) {
        return false;
      }
    }
    return !services.isBlank();
  }

  /** The one running container of a service, or null while there is not exactly one. */
  String container(String service) {
    String ids = docker(30, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + name + "_" + service,
        "--filter", "status=running").strip();
    return ids.isEmpty() || ids.contains("\n") ? null : ids;
  }

  /** Removes the stack and its volumes, and waits until its containers and networks are gone. */
  void remove() {
    String label = "label=com.docker.stack.namespace=" + name;
    Tools.run(List.of("docker", "stack", "rm", name), 60);
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      String left = Tools.run(List.of("docker", "ps", "-aq", "--filter", label), 30).output().strip()
          + Tools.run(List.of("docker", "network", "ls", "-q", "--filter", label), 30).output().strip();
      if (left.isEmpty()) {
        break;
      }
      sleep(1000);
    }
    String volumes = Tools.run(List.of("docker", "volume", "ls", "-q", "--filter", label), 30).output().strip();
    if (!volumes.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("docker", "volume", "rm", "-f"));
      rm.addAll(List.of(volumes.split("\\s+")));
      Tools.run(rm, 60);
    }
  }

  String diagnostics() {
    StringBuilder b = new StringBuilder("\n--- docker stack ps ").append(name).append(":\n");
    b.append(Tools.run(List.of("docker", "stack", "ps", name, "--no-trunc", "--format",
        "{{.Name}} {{.Image}} {{.CurrentState}} {{.Error}}"), 30).output());
    for (String svc : List.of("setup", "log-shipper", "prometheus", "alertmanager", "elasticsearch")) {
      String logs = Tools.run(List.of("docker", "service", "logs", "--raw", "--tail", "8", name + "_" + svc), 30).output();
      b.append("--- ").append(svc).append(" (last lines):\n").append(logs.length() > 3000 ? logs.substring(logs.length() - 3000) : logs);
    }
    return b.toString();
  }

  JsonNode promQuery(String promql) {
    return get(PROMETHEUS + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  JsonNode get(String url) {
    return json.get(url);
  }

  JsonNode esPost(String path, String body) {
    return json.postJson(ELASTICSEARCH + path, body, Duration.ofSeconds(60));
  }


  <T> T await(String what, Duration timeout, Supplier<T> probe) {
    return Tools.awaitOrFail(what, timeout, probe, this::diagnostics);
  }

  static void sleep(long millis) {
    Tools.sleep(millis);
  }

  static String seconds(Instant from, Instant to) {
    return String.format("%.1f s", Duration.between(from, to).toMillis() / 1000.0);
  }
}
