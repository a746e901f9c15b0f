package io.swarmscope.common.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A server {@link SSLContext} from a PEM certificate chain and a PEM PKCS#8 private key. */
final class PemServerContext {

  private static final Pattern PKCS8 = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemServerContext() {}

  static SSLContext create(Path certFile, Path keyFile) {
    try {
      List<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile))).stream()
          .toList();
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("tls_server_config.cert_file " + certFile
            + " holds no PEM certificate");
      }
      PrivateKey key = privateKey(keyFile);
      char[] none = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, none, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, none);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new IllegalArgumentException("tls_server_config: cannot read " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls_server_config: " + certFile + " / " + keyFile
          + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
    String pem = Files.readString(keyFile);
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("tls_server_config.key_file " + keyFile
          + " is not a PEM PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
          + " openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(
        Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", "")));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new IllegalArgumentException("tls_server_config.key_file " + keyFile
        + ": not an RSA, EC or Ed25519 key");
  }
}
