package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only Docker API proxy ({@code config/docker-api-proxy/haproxy.cfg} on the local HAProxy
 * image, as stack.yml runs it: root without capabilities, read-only root filesystem, the socket
 * mounted read-only) in front of this machine's real engine:
 *
 * <ul>
 *   <li>the GETs the exporter, shipper and Prometheus use answer 200, with and without the
 *       {@code /v1.41} prefix;
 *   <li>writes (create, delete, kill, exec, archive upload) and GETs outside the list (swarm join
 *       tokens, secrets, container files) get 403 and change nothing on the engine;
 *   <li>an event stream and a log follow stay open across a quiet spell longer than the proxy's
 *       request timeout (set to 2 s here);
 *   <li>the exporter and shipper images, as uid 65534 without capabilities and with read-only
 *       root filesystems, pointed at the
 *       proxy's own socket in a shared volume instead of the engine's socket (stack.yml's wiring),
 *       report the workload container and ship its lines, and the proxy refuses none of their
 *       requests; the shipper's endpoint serves over TLS with basic auth from a web config file.
 * </ul>
 *
 * Needs Docker, a swarm manager and {@code scripts/build-bundle-images.sh} (run here; cheap when
 * the images are current). With {@code CI=true} a missing Docker fails the test; elsewhere it
 * skips. Everything it creates carries the label {@code io.swarmscope.test=docker-api-proxy} and
 * a name starting with {@code -Dswarmscope.it.prefix} (default {@code swarmscope-apiproxy-it}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerApiProxyIT {

  private static final String PREFIX = System.getProperty("swarmscope.it.prefix", "swarmscope-apiproxy-it")
      + "-" + UUID.randomUUID().toString().substring(0, 6);
  private static final String LABEL = "io.swarmscope.test=docker-api-proxy";
  private static final String NETWORK = PREFIX + "-net";
  private static final String PROXY = PREFIX + "-proxy";
  private static final String PROXY_SHORT_TIMEOUT = PREFIX + "-proxy-2s";
  private static final String WORKLOAD = PREFIX + "-workload";
  /** The node-local volume holding the proxy's socket, as in stack.yml. */
  private static final String SOCKET_VOLUME = PREFIX + "-socket";
  private static final String PROXY_SOCKET = "unix:///run/swarmscope-docker-api/docker.sock";
  private static final String EXPORTER_TMP = PREFIX + "-exporter-tmp";
  private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> containers = new ArrayList<>();
  private final Map<String, String> figures = new LinkedHashMap<>();
  private String shortTimeoutUrl;
  private String workloadId;

  @TempDir Path tmp;

  @BeforeAll
  void start() {
    Tools.require("docker");
    Tools.Exec info = Tools.run(List.of("docker", "info", "--format", "{{.Swarm.ControlAvailable}}"), 30);
    String message = "no swarm manager here (scripts/setup-host.sh makes one): " + info.output();
    if (Tools.inCi()) {
      assertTrue(info.exitCode() == 0 && info.output().strip().equals("true"), message);
    } else {
      assumeTrue(info.exitCode() == 0 && info.output().strip().equals("true"), message);
    }
    Instant t = Instant.now();
    Tools.succeed(List.of("scripts/build-bundle-images.sh"), 1200);
    figures.put("build-bundle-images.sh", seconds(t));
    docker("network", "create", "--label", LABEL, NETWORK);
    docker("volume", "create", "--label", LABEL, SOCKET_VOLUME);
    workloadId = run(WORKLOAD, List.of(), "local/busybox:1", "sh", "-c",
        "echo workload-line; exec sleep 3600").strip();
    run(PROXY, proxyOptions(List.of("-v", SOCKET_VOLUME + ":/run/swarmscope-docker-api"), Map.of()),
        "local/haproxy:bundle-test");
    run(PROXY_SHORT_TIMEOUT, proxyOptions(List.of("--tmpfs", "/run/swarmscope-docker-api"),
        Map.of("DOCKER_API_PROXY_TIMEOUT", SHORT_TIMEOUT.toSeconds() + "s")), "local/haproxy:bundle-test");
    String port = docker("port", PROXY_SHORT_TIMEOUT, "2375/tcp").lines().findFirst().orElseThrow().strip();
    shortTimeoutUrl = "http://" + port.replace("0.0.0.0", "127.0.0.1");
    Tools.await("the proxy to answer", Duration.ofSeconds(30), () -> status("GET", "/_ping") == 200 ? true : null);
  }

  /** How stack.yml runs the proxy, plus a published TCP port for the test's requests. */
  private List<String> proxyOptions(List<String> socketMount, Map<String, String> env) {
    List<String> options = new ArrayList<>(socketMount);
    options.addAll(List.of("--network", NETWORK, "--user", "0:0", "-e", "DOCKER_API_PROXY_TCP=:2375",
        "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "-p", "127.0.0.1::2375",
        "-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
        "-v", Bundle.file("config/docker-api-proxy/haproxy.cfg") + ":/usr/local/etc/haproxy/haproxy.cfg:ro"));
    env.forEach((k, v) -> options.addAll(List.of("-e", k + "=" + v)));
    return options;
  }

  @AfterAll
  void remove() {
    for (String c : containers) {
      Tools.run(List.of("docker", "rm", "-f", c), 60);
    }
    Tools.run(List.of("docker", "network", "rm", NETWORK), 60);
    Tools.run(List.of("docker", "volume", "rm", SOCKET_VOLUME, EXPORTER_TMP), 60);
    System.out.println("DockerApiProxyIT figures: " + figures);
  }

  @Test
  void theReadsTheProgramsUseAreAnswered() {
    String id = workloadId;
    for (String path : List.of("/_ping", "/v1.41/_ping", "/version", "/v1.41/version", "/info",
        "/v1.41/info", "/containers/json", "/v1.41/containers/json?all=1", "/containers/" + id + "/json",
        "/v1.41/containers/" + WORKLOAD + "/json", "/containers/" + id + "/logs?stdout=1&stderr=1&tail=1",
        "/v1.41/nodes", "/v1.41/services", "/v1.41/tasks",
        "/v1.41/networks", "/v1.41/events?since=0&until=1")) {
      assertEquals(200, status("GET", path), "GET " + path);
    }
    // Docker's Go client (Prometheus) negotiates the API version with HEAD /_ping.
    assertEquals(200, status("HEAD", "/_ping"));
  }

  @Test
  void writesAndReadsOutsideTheListAreRefusedAndChangeNothing() throws Exception {
    String id = workloadId;
    String created = PREFIX + "-created-through-proxy";
    String createBody = "{\"Image\":\"local/busybox:1\",\"Cmd\":[\"true\"],\"Labels\":{\"io.swarmscope.test\":\"docker-api-proxy\"}}";
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("POST /v1.41/containers/create?name=" + created, createBody);
    refused.put("POST /containers/create?name=" + created, createBody);
    refused.put("DELETE /v1.41/containers/" + id + "?force=1", "");
    refused.put("POST /v1.41/containers/" + id + "/kill", "");
    refused.put("POST /v1.41/containers/" + id + "/stop", "");
    refused.put("POST /v1.41/containers/" + id + "/exec", "{\"Cmd\":[\"touch\",\"/tmp/exec-through-proxy\"]}");
    refused.put("PUT /v1.41/containers/" + id + "/archive?path=/tmp", "");
    refused.put("POST /v1.41/services/create", "{}");
    refused.put("POST /v1.41/swarm/leave?force=1", "");
    refused.put("GET /v1.41/swarm", "");
    refused.put("GET /v1.41/secrets", "");
    refused.put("GET /v1.41/configs", "");
    refused.put("GET /v1.41/containers/" + id + "/archive?path=/etc/hostname", "");
    refused.put("GET /v1.41/containers/" + id + "/export", "");
    refused.put("GET /v1.41/containers/" + id + "/../../swarm", "");
    refused.put("GET /v1.41/containers/%2e%2e/swarm", "");
    refused.put("HEAD /v1.41/info", "");
    for (Map.Entry<String, String> r : refused.entrySet()) {
      String[] methodPath = r.getKey().split(" ", 2);
      assertEquals(403, status(methodPath[0], methodPath[1], r.getValue()), r.getKey());
    }
    // Nothing reached the engine: the workload still runs, unexecuted; no container was created.
    assertEquals("true 0", docker("inspect", "-f", "{{.State.Running}} {{len .ExecIDs}}", WORKLOAD).strip());
    assertEquals("", docker("ps", "-aq", "--filter", "name=" + created).strip());
    // The same create straight on the socket works: the refusal is the proxy's, not the request's.
    String direct = Tools.succeed(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
        "--unix-socket", "/var/run/docker.sock", "-H", "Content-Type: application/json",
        "-d", createBody, "http://localhost/v1.41/containers/create?name=" + created), 30);
    containers.add(created);
    assertEquals("201", direct.strip());
  }

  @Test
  void eventsAndLogFollowOutliveTheProxyTimeout() throws Exception {
    // The log follow: 8 s of silence between two lines, through a proxy whose requests time out after 2 s.
    String quiet = run(PREFIX + "-quiet", List.of(), "local/busybox:1", "sh", "-c",
        "echo before-the-pause; sleep 8; echo after-the-pause; exec sleep 3600").strip();
    CompletableFuture<String> follow = CompletableFuture.supplyAsync(
        readUntil("/v1.41/containers/" + quiet + "/logs?stdout=1&follow=1", "after-the-pause"));
    // The event stream: quiet for 6 s, then a container starts.
    long since = Instant.now().getEpochSecond();
    CompletableFuture<String> events = CompletableFuture.supplyAsync(readUntil(
        "/v1.41/events?since=" + since + "&filters=" + java.net.URLEncoder.encode(
            "{\"label\":[\"" + LABEL + "\"],\"event\":[\"start\"]}", StandardCharsets.UTF_8), PREFIX + "-late"));
    Thread.sleep(SHORT_TIMEOUT.multipliedBy(3).toMillis());
    run(PREFIX + "-late", List.of(), "local/busybox:1", "true");
    String log = follow.get(60, TimeUnit.SECONDS);
    assertTrue(log.contains("before-the-pause") && log.contains("after-the-pause"), log);
    assertTrue(events.get(60, TimeUnit.SECONDS).contains("\"status\":\"start\""));
  }

  @Test
  void theExporterAndTheShipperWorkThroughTheProxy() throws Exception {
    // Through the proxy's socket in the shared volume, as stack.yml wires them.
    String dockerHost = PROXY_SOCKET;
    String exporter = PREFIX + "-exporter";
    // As stack.yml runs it: uid 65534, no capabilities, read-only with a volume on /tmp (JNA
    // unpacks its native library there; Docker's tmpfs mounts are noexec).
    run(exporter, List.of("--network", NETWORK, "-p", "127.0.0.1::9100", "--cap-drop", "ALL",
        "--read-only", "--mount", "type=volume,source=" + EXPORTER_TMP + ",target=/tmp",
        "--user", "65534:65534", "-v", "/proc:/host/proc:ro", "-v", "/sys:/host/sys:ro",
        "-v", SOCKET_VOLUME + ":/run/swarmscope-docker-api:ro"),
        "local/swarmscope-exporter:test", "--path.procfs=/host/proc", "--path.sysfs=/host/sys",
        "--docker.host=" + dockerHost);
    // The shipper with TLS and basic auth on its endpoint (certificate made here by openssl).
    Path web = tmp.resolve("web");
    Files.createDirectories(web);
    Tools.succeed(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-keyout", web.resolve("server.key").toString(), "-out", web.resolve("server.crt").toString(),
        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"), 60);
    Files.writeString(web.resolve("web-config.yml"), """
        tls_server_config: {cert_file: server.crt, key_file: server.key}
        basic_auth_users:
          prometheus: $2y$10$K8iuWObEH.2IDL5NC4gn2OFIGz5Kr8nMeMB6QtnJxuHhUdNVuCv1O
        """);
    Tools.succeed(List.of("chmod", "-R", "a+rX", tmp.toString()), 10);
    String shipper = PREFIX + "-shipper";
    run(shipper, List.of("--network", NETWORK, "-p", "127.0.0.1::9101", "--read-only", "--cap-drop", "ALL",
        "--user", "65534:65534", "--tmpfs", "/var/lib/swarmscope-shipper:uid=65534",
        "-v", web + ":/etc/swarmscope/web:ro", "-v", SOCKET_VOLUME + ":/run/swarmscope-docker-api:ro",
        "-e", "SWARMSCOPE_DOCKER_HOST=" + dockerHost,
        "-e", "SWARMSCOPE_WEB_CONFIG_FILE=/etc/swarmscope/web/web-config.yml",
        "-e", "SWARMSCOPE_INCLUDE_LABELS=" + LABEL), "local/swarmscope-log-shipper:test");

    String exporterUrl = "http://" + hostPort(exporter, 9100) + "/metrics";
    String metrics = Tools.await("the exporter to report the workload container", Duration.ofSeconds(90), () -> {
      String body = SecuredHttp.get(http, exporterUrl, null).body();
      return body.contains("name=\"" + WORKLOAD + "\"") && body.contains("swarm_node_info{") ? body : null;
    });
    assertTrue(metrics.contains("container_last_seen{"), "container series from Docker");
    // As uid 65534 without capabilities, the exporter still reads the container's cgroup and
    // network counters through the host's /proc and /sys.
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("container_memory_usage_bytes{")
        && l.contains("name=\"" + WORKLOAD + "\"")), "memory of the workload");
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("container_network_receive_bytes_total{")
        && l.contains("name=\"" + WORKLOAD + "\"")), "network of the workload");

    Tools.await("the shipper to ship the workload's lines", Duration.ofSeconds(90), () -> {
      String out = Tools.run(List.of("sh", "-c", "docker logs " + shipper + " 2>/dev/null"), 30).output();
      return out.contains("\"message\":\"workload-line\"") ? true : null;
    });
    String shipperUrl = "https://127.0.0.1:" + hostPort(shipper, 9101).split(":")[1] + "/metrics";
    try (HttpClient tls = HttpClient.newBuilder().sslContext(SecuredHttp.trusting(web.resolve("server.crt"))).build()) {
      assertEquals(401, SecuredHttp.get(tls, shipperUrl, null).statusCode());
      assertEquals(401, SecuredHttp.get(tls, shipperUrl, "prometheus:wrong").statusCode());
      HttpResponse<String> ok = SecuredHttp.get(tls, shipperUrl, "prometheus:scrape-secret-1");
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("swarmscope_log_lines_total{"), ok.body());
    }
    // Everything they asked for was allowed: the proxy logs refusals only, and it logged none.
    String proxyLog = Tools.run(List.of("docker", "logs", PROXY), 30).output();
    assertFalse(proxyLog.contains(" 403 "), "the proxy refused a request of the exporter or shipper:\n" + proxyLog);
  }

  // ---------------------------------------------------------------- helpers

  private Supplier<String> readUntil(String path, String marker) {
    return () -> {
      HttpRequest request = HttpRequest.newBuilder(URI.create(shortTimeoutUrl + path)).build();
      StringBuilder seen = new StringBuilder();
      try (InputStream in = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
          seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          if (seen.indexOf(marker) >= 0) {
            return seen.toString();
          }
        }
        return "stream ended before " + marker + ": " + seen;
      } catch (IOException e) {
        return "stream failed before " + marker + ": " + e + ": " + seen;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    };
  }

  private int status(String method, String path) {
    return status(method, path, "");
  }

  private int status(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(shortTimeoutUrl + path))
        .timeout(Duration.ofSeconds(30));
    if (method.equals("HEAD")) {
      request.HEAD();
    } else {
      request.header("Content-Type", "application/json")
          .method(method, body.isEmpty() && !method.equals("POST") && !method.equals("PUT")
              ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }



  /** docker run -d with the test's label; returns the id. */
  private String run(String name, List<String> options, String image, String... command) {
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", LABEL));
    cmd.addAll(options);
    cmd.add(image);
    cmd.addAll(List.of(command));
    containers.add(name);
    return Tools.succeed(cmd, 60);
  }

  private static String docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    return Tools.succeed(cmd, 60);
  }

  private static String hostPort(String container, int port) {
    return docker("port", container, port + "/tcp").lines().findFirst().orElseThrow().strip()
        .replace("0.0.0.0", "127.0.0.1");
  }

  private static String seconds(Instant since) {
    return String.format("%.1f s", Duration.between(since, Instant.now()).toMillis() / 1000.0);
  }
}
