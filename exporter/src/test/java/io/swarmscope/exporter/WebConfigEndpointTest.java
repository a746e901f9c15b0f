package io.swarmscope.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.collector.CollectorContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The exporter's own HTTP server (client_java's HTTPServer) with {@code --web.config.file}: TLS
 * from the fixture certificate and basic auth, on the fixture host tree.
 */
class WebConfigEndpointTest {

  static final Path WEB = Path.of("src/test/resources/web").toAbsolutePath();

  @Test
  void metricsAndHealthNeedTheRightUserOverHttps() throws Exception {
    Path base = EndToEndGoldenTest.FIXTURES.toAbsolutePath();
    ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0",
        "--path.procfs=" + base.resolve("proc"), "--path.sysfs=" + base.resolve("sys"),
        "--path.rootfs=" + base.resolve("root"), "--docker.host=",
        "--collector.disable-defaults", "--collector.loadavg",
        "--web.config.file=" + WEB.resolve("web-config.yml"));
    try (Exporter exporter = Exporter.start(flags, new CollectorContext(flags.paths(),
        Clock.systemUTC(), EndToEndGoldenTest.FAKE_STATFS, flags.options()));
        HttpClient client = HttpClient.newBuilder().sslContext(trusting()).build()) {
      assertEquals("https, basic auth", exporter.webSecurity());
      String url = "https://127.0.0.1:" + exporter.port();
      assertEquals(401, get(client, url + "/metrics", null).statusCode());
      assertEquals(401, get(client, url + "/-/healthy", null).statusCode());
      assertEquals(401, get(client, url + "/metrics", "prometheus:scrape-secret-2").statusCode());
      HttpResponse<String> ok = get(client, url + "/metrics", "prometheus:scrape-secret-1");
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("\nnode_load1 "), ok.body());
      assertEquals(200, get(client, url + "/-/healthy", "prometheus:scrape-secret-1").statusCode());
      try (HttpClient plain = HttpClient.newHttpClient()) {
        assertThrows(IOException.class, () -> get(plain, "http://127.0.0.1:" + exporter.port()
            + "/metrics", "prometheus:scrape-secret-1"));
      }
    }
  }

  @Test
  void aBrokenWebConfigFileStopsTheStartWithItsName() throws IOException {
    Path broken = Files.createTempFile("web-config", ".yml");
    try {
      Files.writeString(broken, "basic_auth_users: {prometheus: plain-text}\n");
      ExporterFlags flags = ExporterFlags.parse("--web.listen-address=127.0.0.1:0", "--docker.host=",
          "--collector.disable-defaults", "--web.config.file=" + broken);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Exporter.start(flags, new CollectorContext(flags.paths(), Clock.systemUTC(),
              EndToEndGoldenTest.FAKE_STATFS, flags.options())));
      assertTrue(e.getMessage().contains(broken.toString())
          && e.getMessage().contains("not a bcrypt hash"), e.getMessage());
    } finally {
      Files.delete(broken);
    }
  }

  static HttpResponse<String> get(HttpClient client, String url, String userColonPassword)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (userColonPassword != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static SSLContext trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(WEB.resolve("server.crt"))) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
