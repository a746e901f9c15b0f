package io.swarmscope.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSecurity on a real JDK HTTP(S) server on loopback, with real TLS handshakes. */
class WebSecurityTest {

  @TempDir Path dir;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int start(WebSecurity security) throws IOException {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    if (security.https().isPresent()) {
      HttpsServer https = HttpsServer.create(any, 0);
      https.setHttpsConfigurator(security.https().get());
      server = https;
    } else {
      server = HttpServer.create(any, 0);
    }
    HttpContext context = server.createContext("/metrics", exchange -> {
      byte[] body = "up 1\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    security.authenticator().ifPresent(context::setAuthenticator);
    server.start();
    return server.getAddress().getPort();
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("web-config.yml"), yaml);
  }

  private static HttpResponse<String> get(HttpClient client, String url, String user, String password)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void basicAuthRefusesMissingAndWrongCredentialsAndAcceptsTheRightOnes() throws Exception {
    WebSecurity security = WebSecurity.of(WebConfig.read(config(
        "basic_auth_users:\n  prometheus: '" + WebConfigTest.PROMETHEUS_HASH + "'\n")));
    assertEquals("http, basic auth", security.describe());
    String url = "http://127.0.0.1:" + start(security) + "/metrics";
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> anonymous = get(client, url, null, null);
      assertEquals(401, anonymous.statusCode());
      assertEquals("Basic realm=\"swarmscope\", charset=\"UTF-8\"",
          anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals(401, get(client, url, "prometheus", "scrape-secret-2").statusCode());
      assertEquals(401, get(client, url, "nobody", "scrape-secret-1").statusCode());
      assertEquals(401, get(client, url, "Prometheus", "scrape-secret-1").statusCode());
      HttpResponse<String> ok = get(client, url, "prometheus", "scrape-secret-1");
      assertEquals(200, ok.statusCode());
      assertEquals("up 1\n", ok.body());
      // Remembered after the first check: the second time, and a wrong password after it.
      assertEquals(200, get(client, url, "prometheus", "scrape-secret-1").statusCode());
      assertEquals(401, get(client, url, "prometheus", "scrape-secret-1x").statusCode());
    }
  }

  @Test
  void tlsWithAGeneratedCertificateServesHttpsAndRefusesPlainHttp() throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "rsa:2048");
    WebSecurity security = WebSecurity.of(WebConfig.read(config("""
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
        basic_auth_users:
          prometheus: '%s'
        """.formatted(WebConfigTest.PROMETHEUS_HASH))));
    assertEquals("https, basic auth", security.describe());
    int port = start(security);
    SSLContext trusting = cert.clientContext();
    try (HttpClient client = HttpClient.newBuilder().sslContext(trusting).build()) {
      String url = "https://127.0.0.1:" + port + "/metrics";
      assertEquals(401, get(client, url, null, null).statusCode());
      HttpResponse<String> ok = get(client, url, "prometheus", "scrape-secret-1");
      assertEquals(200, ok.statusCode());
      assertEquals("up 1\n", ok.body());
      assertEquals(HttpClient.Version.HTTP_1_1, ok.version());
    }
    // A client that does not trust the certificate does not get through the handshake.
    try (HttpClient untrusting = HttpClient.newHttpClient()) {
      assertThrows(IOException.class,
          () -> get(untrusting, "https://127.0.0.1:" + port + "/metrics", "prometheus", "scrape-secret-1"));
    }
    // Plain HTTP on the TLS port: no HTTP response comes back.
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] answer = readUpTo(in, 64);
      String text = new String(answer, StandardCharsets.ISO_8859_1);
      assertTrue(!text.startsWith("HTTP/"), "plain HTTP answered on the TLS port: " + text);
    }
  }

  @Test
  void anEcKeyWorksAndAKeyInTheWrongFormatFailsAtStartWithAHint() throws Exception {
    TestCertificate ec = TestCertificate.generate(dir, "ec:" + ecParams());
    WebSecurity security = WebSecurity.of(WebConfig.read(config(
        "tls_server_config: {cert_file: server.crt, key_file: server.key, min_version: TLS13}\n")));
    int port = start(security);
    try (HttpClient client = HttpClient.newBuilder().sslContext(ec.clientContext()).build()) {
      assertEquals(200, get(client, "https://127.0.0.1:" + port + "/metrics", null, null).statusCode());
    }
    Files.writeString(dir.resolve("server.key"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    WebConfig broken = WebConfig.read(dir.resolve("web-config.yml"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebSecurity.of(broken));
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  private String ecParams() throws Exception {
    Path params = dir.resolve("ec.param");
    Process p = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-out", params.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    return params.toString();
  }

  private static byte[] readUpTo(InputStream in, int max) {
    byte[] buf = new byte[max];
    int n = 0;
    try {
      int r;
      while (n < max && (r = in.read(buf, n, max - n)) > 0) {
        n += r;
      }
    } catch (IOException closedOrTimedOut) {
      // what a TLS server does with a plaintext request: alert, close or nothing
    }
    return java.util.Arrays.copyOf(buf, n);
  }
}
