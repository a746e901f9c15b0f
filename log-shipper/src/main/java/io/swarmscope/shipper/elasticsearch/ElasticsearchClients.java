package io.swarmscope.shipper.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds {@link ElasticsearchClient}s (elasticsearch-java 9, Rest5 transport, Jackson 2 mapper).
 *
 * <p>Credentials are never taken as arguments or from the environment directly: the password is
 * read from a file (a Docker secret such as {@code /run/secrets/es_writer_password}), so it does
 * not show up in {@code ps}, {@code docker inspect} or logs.
 */
public final class ElasticsearchClients {

  private ElasticsearchClients() {}

  /** A client without authentication or custom trust (plain http, or https with the JDK's CAs). */
  public static ElasticsearchClient create(URI url) throws IOException {
    return create(url, null, null, null);
  }

  /**
   * A client for {@code url}.
   *
   * @param url {@code http://host:port} or {@code https://host:port}, optionally with a path prefix
   * @param username basic-auth user, or null for none; needs {@code passwordFile}
   * @param passwordFile file holding the password (trailing newlines are dropped), or null; needs
   *     {@code username}
   * @param caCertificateFile PEM (or DER) file with the CA certificate(s) that signed the server's
   *     certificate, or null to use the JDK's trust store; only with https
   * @throws IOException if a file cannot be read or holds no usable password or certificate
   * @throws IllegalArgumentException for a bad URL or a username without password (or vice versa)
   */
  public static ElasticsearchClient create(URI url, String username, Path passwordFile,
      Path caCertificateFile) throws IOException {
    URI host = checkUrl(url);
    boolean hasUser = username != null && !username.isEmpty();
    if (hasUser != (passwordFile != null)) {
      throw new IllegalArgumentException(hasUser
          ? "Elasticsearch username '" + username + "' given without a password file"
          : "Elasticsearch password file " + passwordFile + " given without a username");
    }
    if (caCertificateFile != null && !"https".equals(host.getScheme())) {
      throw new IllegalArgumentException("a CA certificate (" + caCertificateFile
          + ") is only used with https, but the Elasticsearch URL is " + host);
    }
    String password = hasUser ? readPasswordFile(passwordFile) : null;
    SSLContext ssl = caCertificateFile != null ? sslContext(caCertificateFile) : null;
    return ElasticsearchClient.of(b -> {
      b.host(host.toString()).jsonMapper(new JacksonJsonpMapper());
      if (hasUser) {
        b.usernameAndPassword(username, password);
      }
      if (ssl != null) {
        b.sslContext(ssl);
      }
      return b;
    });
  }

  static URI checkUrl(URI url) {
    if (url == null) {
      throw new IllegalArgumentException("no Elasticsearch URL");
    }
    String scheme = url.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "Elasticsearch URL must start with http:// or https://, got " + url);
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("Elasticsearch URL has no host: " + url);
    }
    if (url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "put no credentials in the Elasticsearch URL; use a username and a password file");
    }
    return url;
  }

  /**
   * The password in {@code file}: its whole content as UTF-8, minus trailing {@code \n} and
   * {@code \r} (other whitespace is kept: it may be part of the password).
   */
  static String readPasswordFile(Path file) throws IOException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("Elasticsearch password file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IOException("cannot read Elasticsearch password file " + file + ": " + e, e);
    }
    int end = content.length();
    while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
      end--;
    }
    if (end == 0) {
      throw new IOException("Elasticsearch password file " + file + " is empty");
    }
    return content.substring(0, end);
  }

  /** An SSL context trusting exactly the certificates in {@code caFile}. */
  static SSLContext sslContext(Path caFile) throws IOException {
    List<X509Certificate> certificates = readCertificates(caFile);
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        trust.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build a TLS context from " + caFile + ": " + e, e);
    }
  }

  static List<X509Certificate> readCertificates(Path caFile) throws IOException {
    Collection<? extends java.security.cert.Certificate> read;
    try (InputStream in = Files.newInputStream(caFile)) {
      read = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new IOException("CA certificate file " + caFile + " does not exist", e);
    } catch (CertificateException e) {
      throw new IOException("CA certificate file " + caFile
          + " holds no readable X.509 certificate (PEM or DER expected): " + e.getMessage(), e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (var c : read) {
      if (c instanceof X509Certificate x) {
        certificates.add(x);
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException("CA certificate file " + caFile + " holds no certificate");
    }
    return certificates;
  }
}
