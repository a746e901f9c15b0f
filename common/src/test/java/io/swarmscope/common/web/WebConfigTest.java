package io.swarmscope.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigTest {

  // htpasswd -nbB -C 10 prometheus scrape-secret-1 (apache2-utils), recorded.
  static final String PROMETHEUS_HASH = "$2y$10$K8iuWObEH.2IDL5NC4gn2OFIGz5Kr8nMeMB6QtnJxuHhUdNVuCv1O";

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("web-config.yml"), yaml);
  }

  @Test
  void readsTlsAndUsersWithPathsRelativeToTheFile() throws IOException {
    WebConfig config = WebConfig.read(write("""
        tls_server_config:
          cert_file: tls/server.crt
          key_file: /etc/keys/server.key
          min_version: TLS13
        basic_auth_users:
          prometheus: %s
        """.formatted(PROMETHEUS_HASH)));
    WebConfig.TlsServerConfig tls = config.tls().orElseThrow();
    assertEquals(dir.resolve("tls/server.crt"), tls.certFile());
    assertEquals(Path.of("/etc/keys/server.key"), tls.keyFile());
    assertEquals("TLSv1.3", tls.minVersion());
    assertEquals(Map.of("prometheus", PROMETHEUS_HASH), config.users());
    assertTrue(config.authenticates());
  }

  @Test
  void usersOnlyMeansPlainHttpWithAuthAndTls12IsTheDefaultMinimum() throws IOException {
    WebConfig users = WebConfig.read(write("basic_auth_users: {prometheus: '" + PROMETHEUS_HASH + "'}\n"));
    assertTrue(users.tls().isEmpty());
    WebConfig tls = WebConfig.read(write("tls_server_config: {cert_file: a.crt, key_file: a.key}\n"));
    assertEquals("TLSv1.2", tls.tls().orElseThrow().minVersion());
    assertFalse(tls.authenticates());
  }

  @Test
  void anEmptyFileConfiguresNothing() throws IOException {
    assertEquals(WebConfig.NONE, WebConfig.read(write("")));
  }

  @Test
  void refusesWhatItDoesNotImplementByName() throws IOException {
    assertMessage("tls_server_config.client_ca_file is not supported",
        "tls_server_config: {cert_file: a, key_file: b, client_ca_file: ca.crt}\n");
    assertMessage("client_auth_type RequireAndVerifyClientCert is not supported",
        "tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}\n");
    assertMessage("http_server_config is not supported", "http_server_config: {http2: false}\n");
    assertMessage("basic_auth is not supported", "basic_auth: {}\n");
    assertMessage("min_version must be TLS12 or TLS13, not TLS10",
        "tls_server_config: {cert_file: a, key_file: b, min_version: TLS10}\n");
    assertMessage("tls_server_config.key_file is required", "tls_server_config: {cert_file: a}\n");
  }

  @Test
  void refusesAPlainPasswordWhereAHashBelongs() throws IOException {
    assertMessage("basic_auth_users.prometheus is not a bcrypt hash",
        "basic_auth_users: {prometheus: scrape-secret-1}\n");
  }

  private void assertMessage(String expected, String yaml) throws IOException {
    Path file = write(yaml);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebConfig.read(file));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
