package io.swarmscope.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost made by openssl, as a user would make
 * one. openssl is part of the build machines (scripts/setup-host.sh); with {@code CI=true} its
 * absence fails the test, elsewhere it skips.
 */
record TestCertificate(Path certFile, Path keyFile) {

  static TestCertificate generate(Path dir, String keyAlgorithm) throws IOException, InterruptedException {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    List<String> command = List.of("openssl", "req", "-x509", "-newkey", keyAlgorithm, "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
      if (ci) {
        throw new AssertionError("openssl is needed (scripts/setup-host.sh installs it)", e);
      }
      assumeTrue(false, "openssl is not installed");
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), () -> "openssl failed: " + out);
    return new TestCertificate(cert, key);
  }

  /** A client context that trusts this certificate only. */
  SSLContext clientContext() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certFile)) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
