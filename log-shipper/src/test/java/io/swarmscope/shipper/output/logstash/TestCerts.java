package io.swarmscope.shipper.output.logstash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and certificates made with the {@code openssl} CLI for one test run (EC P-256,
 * valid two days, keys unencrypted PKCS#8): {@code server} (SAN IP 127.0.0.1 and DNS localhost),
 * {@code client} (client authentication), {@code wrong} (SAN DNS wrong.example only).
 */
public final class TestCerts {

  public final Path dir;

  private TestCerts(Path dir) {
    this.dir = dir;
  }

  public static TestCerts create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestCerts c = new TestCerts(dir);
    c.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=swarmscope test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    c.leaf("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        + "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
    c.leaf("client", "/CN=swarmscope-log-shipper", "extendedKeyUsage=clientAuth\n"
        + "keyUsage=critical,digitalSignature,keyEncipherment\n");
    c.leaf("wrong", "/CN=wrong.example", "subjectAltName=DNS:wrong.example\n"
        + "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
    return c;
  }

  public Path ca() {
    return dir.resolve("ca.pem");
  }

  public Path cert(String name) {
    return dir.resolve(name + ".pem");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  private void leaf(String name, String subject, String ext) throws IOException, InterruptedException {
    Files.writeString(dir.resolve(name + ".ext"), ext);
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
        name + ".key", "-out", name + ".csr", "-subj", subject);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, done ? p.exitValue() : -1, String.join(" ", cmd) + ": " + out);
  }
}
