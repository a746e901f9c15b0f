package io.swarmscope.shipper.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchClientsTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ElasticsearchClientsTest.class.getResource("/elasticsearch/" + name).toURI());
  }

  @Test
  void passwordFileLosesTrailingNewlinesOnly() throws IOException {
    assertEquals("s3cret", ElasticsearchClients.readPasswordFile(file("a", "s3cret\n")));
    assertEquals("s3cret", ElasticsearchClients.readPasswordFile(file("b", "s3cret\r\n")));
    assertEquals("s3cret", ElasticsearchClients.readPasswordFile(file("c", "s3cret")));
    assertEquals(" pass word ", ElasticsearchClients.readPasswordFile(file("d", " pass word \n\n")));
    assertEquals("pä\tss", ElasticsearchClients.readPasswordFile(file("e", "pä\tss\n")));
  }

  @Test
  void emptyOrMissingPasswordFileIsAnError() throws IOException {
    Path empty = file("empty", "\n");
    IOException e = assertThrows(IOException.class, () -> ElasticsearchClients.readPasswordFile(empty));
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    Path missing = dir.resolve("nope");
    e = assertThrows(IOException.class, () -> ElasticsearchClients.readPasswordFile(missing));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void caFileWithOneOrSeveralCertificates() throws Exception {
    assertEquals(1, ElasticsearchClients.readCertificates(resource("test-ca.pem")).size());
    assertEquals(2, ElasticsearchClients.readCertificates(resource("test-ca-bundle.pem")).size());
    assertNotNull(ElasticsearchClients.sslContext(resource("test-ca-bundle.pem")));
  }

  @Test
  void caFileThatIsNoCertificateIsAnError() throws IOException {
    Path junk = file("junk.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    IOException e = assertThrows(IOException.class, () -> ElasticsearchClients.sslContext(junk));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    Path missing = dir.resolve("missing.pem");
    e = assertThrows(IOException.class, () -> ElasticsearchClients.sslContext(missing));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void inconsistentArgumentsAreRefused() throws IOException {
    URI http = URI.create("http://127.0.0.1:9200");
    Path pw = file("pw", "x\n");
    assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchClients.create(http, "writer", null, null));
    assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchClients.create(http, null, pw, null));
    assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchClients.create(URI.create("http://u:p@127.0.0.1:9200"), null, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchClients.create(URI.create("ftp://127.0.0.1:9200"), null, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> ElasticsearchClients.create(http, null, null, dir.resolve("ca.pem")));
  }

  @Test
  void httpsClientWithCaBuilds() throws Exception {
    try (ElasticsearchClient c = ElasticsearchClients.create(URI.create("https://127.0.0.1:9200"),
        "writer", file("pw", "x\n"), resource("test-ca.pem"))) {
      assertNotNull(c);
    }
  }

  @Test
  void passwordFromFileIsSentAsBasicAuth() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = ("{\"cluster_name\":\"t\",\"status\":\"green\",\"timed_out\":false,"
          + "\"number_of_nodes\":1,\"number_of_data_nodes\":1,\"active_primary_shards\":0,"
          + "\"active_shards\":0,\"relocating_shards\":0,\"initializing_shards\":0,"
          + "\"unassigned_shards\":0,\"unassigned_primary_shards\":0,\"delayed_unassigned_shards\":0,"
          + "\"number_of_pending_tasks\":0,\"number_of_in_flight_fetch\":0,"
          + "\"task_max_waiting_in_queue_millis\":0,\"active_shards_percent_as_number\":100.0}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try (ElasticsearchClient c = ElasticsearchClients.create(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "swarmscope_writer",
        file("pw", "p4ss word\n"), null)) {
      assertEquals("t", c.cluster().health().clusterName());
    } finally {
      server.stop(0);
    }
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString("swarmscope_writer:p4ss word".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(expected), authorizations);
  }
}
