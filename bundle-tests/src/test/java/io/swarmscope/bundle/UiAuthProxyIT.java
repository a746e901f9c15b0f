package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UIs' authenticating proxy ({@code config/ui-proxy/nginx.conf} on the local nginx image, as
 * stack.yml runs it: uid 101, no capabilities, read-only root filesystem) in front of a real
 * Prometheus and Alertmanager. Grafana and Kibana have no image here: each stands in as a small
 * server that answers with the request headers it received, which shows what the proxy forwards.
 *
 * <p>Every port the proxy listens on publicly (UiProxyConfigTest checks these are exactly what
 * stack.yml publishes) refuses requests without credentials or with a wrong password (401) and
 * passes the right ones through to its UI. Needs Docker and scripts/build-bundle-images.sh (run
 * here); with {@code CI=true} a missing Docker fails the test, elsewhere it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiAuthProxyIT {

  private static final String PREFIX = System.getProperty("swarmscope.it.prefix", "swarmscope-uiproxy-it")
      + "-" + UUID.randomUUID().toString().substring(0, 6);
  private static final String LABEL = "io.swarmscope.test=ui-proxy";
  private static final String NETWORK = PREFIX + "-net";
  private static final String PROXY = PREFIX + "-proxy";
  /** htpasswd -nbB -C 10 ops ops-secret, recorded. */
  private static final String HTPASSWD = "ops:$2y$10$Mym/NaoYcd4Moswm/88nieX0QTCJk56pZXQSSL3UvD8/OVN7B6Bwa\n";
  private static final String RIGHT = "ops:ops-secret";

  /** What each UI port must serve once authenticated: a path and a string in the answer. */
  private static final Map<Integer, String[]> UIS = Map.of(
      9090, new String[] {"/api/v1/status/buildinfo", "\"status\":\"success\""},
      9093, new String[] {"/api/v2/status", "\"cluster\""},
      3000, new String[] {"/api/health", "stand-in grafana"},
      5601, new String[] {"/api/status", "stand-in kibana"});

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> containers = new ArrayList<>();
  private final Map<Integer, String> urls = new LinkedHashMap<>();

  @TempDir static Path tmp;

  @BeforeAll
  void start() throws IOException {
    Tools.require("docker");
    Tools.Exec info = Tools.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30);
    if (Tools.inCi()) {
      assertEquals(0, info.exitCode(), "Docker is needed: " + info.output());
    } else {
      assumeTrue(info.exitCode() == 0, "Docker is not reachable: " + info.output());
    }
    Tools.succeed(List.of("scripts/build-bundle-images.sh", "prometheus", "alertmanager", "nginx"), 1200);
    Tools.succeed(List.of("docker", "network", "create", "--label", LABEL, NETWORK), 60);

    Path prometheusYml = write("prometheus.yml", "global: {scrape_interval: 15s}\n");
    run("prometheus", List.of("-v", prometheusYml + ":/etc/prometheus/prometheus.yml:ro"),
        "local/prometheus:bundle-test");
    Path alertmanagerYml = write("alertmanager.yml", "route: {receiver: none}\nreceivers: [{name: none}]\n");
    run("alertmanager", List.of("-v", alertmanagerYml + ":/etc/alertmanager/alertmanager.yml:ro"),
        "local/alertmanager:bundle-test");
    // Stand-ins: answer every request with the headers it arrived with.
    Path echo = write("echo-headers.sh", """
        #!/bin/sh
        body="stand-in $UI
        "
        while IFS= read -r line; do
          line=$(printf '%s' "$line" | tr -d '\\r')
          [ -z "$line" ] && break
          body="$body$line
        "
        done
        printf 'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nConnection: close\\r\\nContent-Length: %d\\r\\n\\r\\n%s' "${#body}" "$body"
        """);
    for (String ui : List.of("grafana:3000", "kibana:5601")) {
      String[] nameAndPort = ui.split(":");
      run(nameAndPort[0], List.of("-e", "UI=" + nameAndPort[0], "-v", echo + ":/echo-headers.sh:ro"),
          "local/busybox:1", "nc", "-ll", "-p", nameAndPort[1], "-e", "sh", "/echo-headers.sh");
    }

    Path htpasswd = write("ui_htpasswd", HTPASSWD);
    List<String> proxy = new ArrayList<>(List.of("--user", "101:101", "--read-only", "--tmpfs", "/tmp",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "-v", htpasswd + ":/run/secrets/ui_htpasswd:ro"));
    // The configuration files where stack.yml mounts them.
    UiProxyConfigTest.configFiles(StackFileTest.merged(List.of("stack.yml")))
        .forEach((target, file) -> proxy.addAll(List.of("-v", file + ":" + target + ":ro")));
    for (int port : UiProxyConfigTest.publicListenPorts()) {
      proxy.addAll(List.of("-p", "127.0.0.1::" + port));
    }
    containers.add(PROXY);
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", PROXY, "--label", LABEL,
        "--network", NETWORK));
    cmd.addAll(proxy);
    cmd.add("local/nginx:bundle-test");
    Tools.succeed(cmd, 60);
    for (int port : UiProxyConfigTest.publicListenPorts()) {
      urls.put(port, "http://" + Tools.succeed(List.of("docker", "port", PROXY, port + "/tcp"), 30)
          .lines().findFirst().orElseThrow().strip().replace("0.0.0.0", "127.0.0.1"));
    }
  }

  @AfterAll
  void remove() {
    for (String c : containers) {
      Tools.run(List.of("docker", "rm", "-f", c), 60);
    }
    Tools.run(List.of("docker", "network", "rm", NETWORK), 60);
  }

  @Test
  void everyPublishedPortRefusesMissingAndWrongCredentialsAndServesItsUiWithTheRightOnes() {
    assertEquals(UIS.keySet(), urls.keySet(), "the test knows every port nginx.conf listens on");
    for (Map.Entry<Integer, String> e : urls.entrySet()) {
      String[] check = UIS.get(e.getKey());
      String url = e.getValue() + check[0];
      HttpResponse<String> anonymous = get(url, null);
      assertEquals(401, anonymous.statusCode(), "no credentials: " + url);
      assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), url);
      assertEquals(401, get(url, "ops:wrong").statusCode(), "wrong password: " + url);
      assertEquals(401, get(url, "nobody:ops-secret").statusCode(), "unknown user: " + url);
      // The UI may still be starting (Prometheus, Alertmanager): 502 until it answers.
      HttpResponse<String> ok = Tools.await("port " + e.getKey() + " to serve " + check[0], Duration.ofSeconds(60), () -> {
        HttpResponse<String> r = get(url, RIGHT);
        return r.statusCode() == 200 ? r : null;
      });
      assertTrue(ok.body().contains(check[1]), url + ": " + ok.body());
      // Not even a path outside the UI's API gets through unauthenticated.
      assertEquals(401, get(e.getValue() + "/-/healthy", null).statusCode());
    }
  }

  @Test
  void theProxysCredentialsDoNotReachTheUisWhichKeepTheirOwnLogins() {
    for (int port : List.of(3000, 5601)) {
      String headers = get(urls.get(port) + "/login", RIGHT).body().toLowerCase(java.util.Locale.ROOT);
      assertFalse(headers.contains("authorization:"), "forwarded credentials: " + headers);
      assertTrue(headers.contains("x-forwarded-for:") && headers.contains("host: 127.0.0.1:"), headers);
    }
  }

  // ---------------------------------------------------------------- helpers

  private Path write(String name, String content) throws IOException {
    Path p = Files.writeString(tmp.resolve(name), content);
    Tools.succeed(List.of("chmod", "a+rx", tmp.toString()), 10);
    Tools.succeed(List.of("chmod", "a+r", p.toString()), 10);
    return p;
  }

  /** docker run -d on the test network, reachable under {@code alias} as in the stack. */
  private void run(String alias, List<String> options, String image, String... command) {
    String name = PREFIX + "-" + alias;
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", LABEL,
        "--network", NETWORK, "--network-alias", alias));
    cmd.addAll(options);
    cmd.add(image);
    cmd.addAll(List.of(command));
    containers.add(name);
    Tools.succeed(cmd, 60);
  }

  private HttpResponse<String> get(String url, String userColonPassword) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (userColonPassword != null) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
