package io.swarmscope.common.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP endpoint's security, from a web config file in the Prometheus exporter-toolkit
 * convention ({@code --web.config.file}), so one file serves node_exporter and swarmscope alike:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt      # PEM, the certificate chain, leaf first
 *   key_file: server.key       # PEM, PKCS#8 (openssl genpkey / openssl pkcs8 -topk8 -nocrypt)
 *   min_version: TLS12         # TLS12 (default) or TLS13
 * basic_auth_users:
 *   prometheus: $2y$10$...     # bcrypt hashes (htpasswd -nbB, or any bcrypt tool)
 * </pre>
 *
 * Relative file names are resolved against the config file's folder, as exporter-toolkit does.
 * A key this class does not implement (client certificates, cipher suites, HTTP headers) is
 * refused with its name rather than ignored: an ignored security setting is a silent downgrade.
 * The file is read once, at start.
 *
 * @param tls the TLS settings, when the endpoint serves HTTPS
 * @param users user name to bcrypt hash; empty means no authentication
 */
public record WebConfig(Optional<TlsServerConfig> tls, Map<String, String> users) {

  /** No TLS, no authentication: what the programs do without a web config file. */
  public static final WebConfig NONE = new WebConfig(Optional.empty(), Map.of());

  private static final Set<String> TOP_LEVEL = Set.of("tls_server_config", "basic_auth_users",
      "http_server_config");
  private static final Set<String> TLS_KEYS = Set.of("cert_file", "key_file", "min_version",
      "client_auth_type");

  public WebConfig {
    users = Map.copyOf(users);
  }

  /** TLS from PEM files. {@code minVersion} is {@code TLSv1.2} or {@code TLSv1.3}. */
  public record TlsServerConfig(Path certFile, Path keyFile, String minVersion) {}

  /** Reads {@code file}; fails with a message naming the file and the offending key. */
  public static WebConfig read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("web config " + file + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return NONE;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("web config " + file + ": expected a mapping");
    }
    Path dir = file.toAbsolutePath().getParent();
    checkKeys(file, "", root, TOP_LEVEL);
    JsonNode http = root.path("http_server_config");
    if (!http.isMissingNode() && !http.isNull() && !(http.isObject() && http.isEmpty())) {
      throw new IllegalArgumentException("web config " + file
          + ": http_server_config is not supported (HTTP/2 and headers settings)");
    }
    return new WebConfig(tls(file, dir, root.path("tls_server_config")),
        users(file, root.path("basic_auth_users")));
  }

  private static Optional<TlsServerConfig> tls(Path file, Path dir, JsonNode tls) {
    if (tls.isMissingNode() || tls.isNull()) {
      return Optional.empty();
    }
    checkKeys(file, "tls_server_config.", tls, TLS_KEYS);
    String clientAuth = tls.path("client_auth_type").asText("NoClientCert");
    if (!clientAuth.equals("NoClientCert")) {
      throw new IllegalArgumentException("web config " + file + ": tls_server_config.client_auth_type "
          + clientAuth + " is not supported (only NoClientCert)");
    }
    String cert = text(file, tls, "cert_file");
    String key = text(file, tls, "key_file");
    String min = switch (tls.path("min_version").asText("TLS12")) {
      case "TLS12" -> "TLSv1.2";
      case "TLS13" -> "TLSv1.3";
      default -> throw new IllegalArgumentException("web config " + file
          + ": tls_server_config.min_version must be TLS12 or TLS13, not "
          + tls.path("min_version").asText());
    };
    return Optional.of(new TlsServerConfig(dir.resolve(cert), dir.resolve(key), min));
  }

  private static Map<String, String> users(Path file, JsonNode users) {
    Map<String, String> out = new LinkedHashMap<>();
    if (users.isMissingNode() || users.isNull()) {
      return out;
    }
    if (!users.isObject()) {
      throw new IllegalArgumentException("web config " + file
          + ": basic_auth_users must map user names to bcrypt hashes");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = users.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String hash = e.getValue().asText("");
      if (!BcryptHashes.looksLikeBcrypt(hash)) {
        throw new IllegalArgumentException("web config " + file + ": basic_auth_users."
            + e.getKey() + " is not a bcrypt hash ($2a$/$2b$/$2y$, e.g. from htpasswd -nbB)");
      }
      out.put(e.getKey(), hash);
    }
    return out;
  }

  private static String text(Path file, JsonNode node, String key) {
    String value = node.path(key).asText("");
    if (value.isBlank()) {
      throw new IllegalArgumentException("web config " + file + ": tls_server_config." + key
          + " is required");
    }
    return value;
  }

  private static void checkKeys(Path file, String prefix, JsonNode node, Set<String> known) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("web config " + file + ": " + prefix + " must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException("web config " + file + ": " + prefix + key
            + " is not supported (known: " + known.stream().sorted().toList() + ")");
      }
    }
  }

  public boolean authenticates() {
    return !users.isEmpty();
  }
}
