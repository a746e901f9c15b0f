package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UIs' authenticating proxy ({@code config/ui-proxy/} on the local nginx image, as stack.yml
 * runs it: uid 101, no capabilities, read-only root filesystem, its configs and secrets where the
 * stack mounts them) in front of a real Prometheus and Alertmanager. Grafana and Kibana have no
 * image here: each stands in as a small server that answers with the request headers it
 * received, which shows what the proxy forwards. Two proxies run: plain (stack.yml) and TLS
 * (stack.yml + stack.ui-tls.yml, with the self-signed certificate scripts/create-secrets.sh makes
 * when asked to).
 *
 * <p>Every port the proxy listens on publicly (UiProxyConfigTest checks these are exactly what
 * stack.yml publishes) refuses requests without credentials or with a wrong password (401) and
 * passes the right ones through to its UI. With TLS, the same holds over https; plain HTTP gets
 * 400 and never a UI or a password prompt; a client that does not trust the certificate fails the
 * handshake, and so does one that offers only CBC suites. Needs Docker, openssl and
 * scripts/build-bundle-images.sh (run here); with {@code CI=true} a missing Docker or openssl fails
 * the test, elsewhere it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiAuthProxyIT {

  private static final String PREFIX = System.getProperty("swarmscope.it.prefix", "swarmscope-uiproxy-it")
      + "-" + UUID.randomUUID().toString().substring(0, 6);
  private static final String LABEL = "io.swarmscope.test=ui-proxy";
  private static final String NETWORK = PREFIX + "-net";
  private static final String PROXY = PREFIX + "-proxy";
  private static final String TLS_PROXY = PREFIX + "-tls-proxy";
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
  /** Port in the container to its address on the host: the plain proxy's, and the TLS proxy's. */
  private final Map<Integer, InetSocketAddress> plain = new LinkedHashMap<>();
  private final Map<Integer, InetSocketAddress> tls = new LinkedHashMap<>();
  /** A client that trusts the TLS proxy's certificate, and only that. */
  private SSLContext trustingTheProxy;
  private HttpClient https;

  @TempDir static Path tmp;

  @BeforeAll
  void start() throws IOException, GeneralSecurityException {
    Tools.require("docker");
    Tools.require("openssl");
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

    // The secret files as an operator makes them: the htpasswd file (recorded, so the test knows
    // the password; create-secrets.sh keeps it) and the certificate create-secrets.sh offers.
    Path secrets = tmp.resolve("secrets");
    Files.createDirectories(secrets);
    Files.writeString(secrets.resolve("ui_htpasswd"), HTPASSWD);
    Tools.succeed(List.of("env", "UI_TLS_SELF_SIGNED_NAMES=localhost 127.0.0.1", "scripts/create-secrets.sh",
        secrets.toString()), 60);
    // Swarm mounts secrets readable by all (0444); uid 101 must read these copies too.
    Tools.succeed(List.of("chmod", "-R", "a+rX", tmp.toString()), 10);
    trustingTheProxy = SecuredHttp.trusting(secrets.resolve("ui_tls.crt"));
    https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trustingTheProxy)
        .version(HttpClient.Version.HTTP_1_1).build();

    startProxy(PROXY, List.of("stack.yml"), secrets, plain);
    startProxy(TLS_PROXY, UiProxyConfigTest.TLS_STACK, secrets, tls);
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
    assertEquals(UIS.keySet(), plain.keySet(), "the test knows every port the proxy listens on");
    plain.forEach((port, address) -> refusesWrongCredentialsAndServesTheUi(http, "http", port, address));
  }

  @Test
  void overTlsEveryPortRefusesMissingAndWrongCredentialsAndServesItsUiWithTheRightOnes() {
    assertEquals(UIS.keySet(), tls.keySet(), "the test knows every port the proxy listens on");
    tls.forEach((port, address) -> refusesWrongCredentialsAndServesTheUi(https, "https", port, address));
  }

  @Test
  void theProxysCredentialsDoNotReachTheUisWhichKeepTheirOwnLogins() {
    for (int port : List.of(3000, 5601)) {
      for (String scheme : List.of("http", "https")) {
        InetSocketAddress address = (scheme.equals("http") ? plain : tls).get(port);
        String headers = SecuredHttp.get(scheme.equals("http") ? http : https, url(scheme, address, "/login"), RIGHT)
            .body().toLowerCase(Locale.ROOT);
        assertFalse(headers.contains("authorization:"), "forwarded credentials: " + headers);
        assertTrue(headers.contains("x-forwarded-for:") && headers.contains("host: 127.0.0.1:"), headers);
        // Grafana and Kibana build their redirects from it: https behind the TLS proxy.
        assertTrue(headers.contains("x-forwarded-proto: " + scheme + "\n"), headers);
      }
    }
  }

  @Test
  void theTlsPortsAnswerPlainHttpWithAnErrorNeverAUiOrAPasswordPrompt() {
    tls.forEach((port, address) -> {
      String url = url("http", address, UIS.get(port)[0]);
      for (String credentials : new String[] {null, RIGHT}) {
        HttpResponse<String> r = SecuredHttp.get(http, url, credentials);
        assertEquals(400, r.statusCode(), url + ": " + r.body());
        assertTrue(r.body().contains("The plain HTTP request was sent to HTTPS port"), r.body());
        assertFalse(r.body().contains(UIS.get(port)[1]), url + " served its UI over plain HTTP");
        // A challenge would make a browser send the password in clear.
        assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), url + " asks for a password");
      }
    });
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() {
    tls.forEach((port, address) -> {
      IOException e = assertThrows(IOException.class, () -> http.send(
          HttpRequest.newBuilder(URI.create(url("https", address, "/"))).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()), "port " + port);
      Throwable cause = e;
      while (cause != null && !(cause instanceof SSLHandshakeException)) {
        cause = cause.getCause();
      }
      assertTrue(cause != null, "port " + port + ": not a handshake failure: " + e);
    });
  }

  @Test
  void theTlsPortsSpeakTls12And13WithAeadSuitesOnly() throws IOException {
    List<String> enabled = Arrays.asList(trustingTheProxy.getDefaultSSLParameters().getCipherSuites());
    List<String> cbc = enabled.stream().filter(s -> s.startsWith("TLS_ECDHE_RSA_") && s.contains("_CBC_")).toList();
    assertFalse(cbc.isEmpty(), "this JVM offers no ECDHE-RSA CBC suite to try: " + enabled);
    for (Map.Entry<Integer, InetSocketAddress> e : tls.entrySet()) {
      try (SSLSocket s = handshake(e.getValue(), new String[] {"TLSv1.3"}, null)) {
        assertEquals("TLSv1.3", s.getSession().getProtocol());
      }
      try (SSLSocket s = handshake(e.getValue(), new String[] {"TLSv1.2"}, null)) {
        assertEquals("TLSv1.2", s.getSession().getProtocol());
        assertTrue(s.getSession().getCipherSuite().matches("TLS_ECDHE_RSA_WITH_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256)"),
            s.getSession().getCipherSuite());
      }
      // The server refuses (its alert), not this client: it offered suites it enables by default.
      SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
          () -> handshake(e.getValue(), new String[] {"TLSv1.2"}, cbc.toArray(String[]::new)).close(),
          "port " + e.getKey() + " accepted " + cbc);
      assertTrue(refused.getMessage().contains("handshake_failure"), refused.toString());
    }
  }

  @Test
  void theStacksHealthCheckPassesWithTlsOn() {
    Tools.Exec check = healthCheck(StackFileTest.merged(UiProxyConfigTest.TLS_STACK), TLS_PROXY);
    assertEquals(0, check.exitCode(), check.output());
  }

  // ---------------------------------------------------------------- helpers

  private void refusesWrongCredentialsAndServesTheUi(HttpClient client, String scheme, int port,
      InetSocketAddress address) {
    String[] check = UIS.get(port);
    String url = url(scheme, address, check[0]);
    HttpResponse<String> anonymous = SecuredHttp.get(client, url, null);
    assertEquals(401, anonymous.statusCode(), "no credentials: " + url);
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), url);
    assertEquals(401, SecuredHttp.get(client, url, "ops:wrong").statusCode(), "wrong password: " + url);
    assertEquals(401, SecuredHttp.get(client, url, "nobody:ops-secret").statusCode(), "unknown user: " + url);
    // The UI may still be starting (Prometheus, Alertmanager): 502 until it answers.
    HttpResponse<String> ok = Tools.await("port " + port + " to serve " + check[0] + " over " + scheme,
        Duration.ofSeconds(60), () -> {
          HttpResponse<String> r = SecuredHttp.get(client, url, RIGHT);
          return r.statusCode() == 200 ? r : null;
        });
    assertTrue(ok.body().contains(check[1]), url + ": " + ok.body());
    // Not even a path outside the UI's API gets through unauthenticated.
    assertEquals(401, SecuredHttp.get(client, url(scheme, address, "/-/healthy"), null).statusCode());
  }

  /**
   * Runs the proxy as the merged stack files run ui-proxy: its configs at their targets, its
   * secrets (from {@code secrets}, by their files' names) under /run/secrets, its ports on
   * loopback ports of the host, noted in {@code addresses}.
   */
  private void startProxy(String name, List<String> stackFiles, Path secrets, Map<Integer, InetSocketAddress> addresses) {
    JsonNode stack = StackFileTest.merged(stackFiles);
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", LABEL,
        "--network", NETWORK, "--user", "101:101", "--read-only", "--tmpfs", "/tmp",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges"));
    UiProxyConfigTest.configFiles(stack).forEach((target, file) -> cmd.addAll(List.of("-v", file + ":" + target + ":ro")));
    stack.path("services").path("ui-proxy").path("secrets").forEach(s -> {
      String source = s.path("source").asText();
      Path file = Path.of(stack.path("secrets").path(source).path("file").asText()).getFileName();
      cmd.addAll(List.of("-v", secrets.resolve(file.toString()) + ":/run/secrets/" + source + ":ro"));
    });
    for (int port : UiProxyConfigTest.publicListenPorts()) {
      cmd.addAll(List.of("-p", "127.0.0.1::" + port));
    }
    cmd.add("local/nginx:bundle-test");
    containers.add(name);
    Tools.succeed(cmd, 60);
    Tools.awaitOrFail(name + " to pass the stack's health check", Duration.ofSeconds(30),
        () -> healthCheck(stack, name).exitCode() == 0 ? true : null,
        () -> ":\n" + Tools.run(List.of("docker", "logs", "--tail", "50", name), 30).output());
    for (int port : UiProxyConfigTest.publicListenPorts()) {
      String hostPort = Tools.succeed(List.of("docker", "port", name, port + "/tcp"), 30).lines().findFirst()
          .orElseThrow().strip();
      addresses.put(port, new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1))));
    }
  }

  /** The merged stack's health check of ui-proxy, run in the container {@code name}. */
  private static Tools.Exec healthCheck(JsonNode stack, String name) {
    JsonNode test = stack.path("services").path("ui-proxy").path("healthcheck").path("test");
    assertEquals("CMD", test.path(0).asText(), test.toString());
    List<String> command = new ArrayList<>(List.of("docker", "exec", name));
    for (int i = 1; i < test.size(); i++) {
      command.add(test.get(i).asText());
    }
    return Tools.run(command, 30);
  }

  private static String url(String scheme, InetSocketAddress address, String path) {
    return scheme + "://127.0.0.1:" + address.getPort() + path;
  }

  /** A TLS handshake as a client that checks the certificate and the host name (127.0.0.1). */
  private SSLSocket handshake(InetSocketAddress address, String[] protocols, String[] suites) throws IOException {
    SSLSocket socket = (SSLSocket) trustingTheProxy.getSocketFactory().createSocket(address.getHostString(), address.getPort());
    try {
      socket.setSoTimeout(10_000);
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      params.setProtocols(protocols);
      if (suites != null) {
        params.setCipherSuites(suites);
      }
      socket.setSSLParameters(params);
      socket.startHandshake();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }


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

}
