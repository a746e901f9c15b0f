package io.swarmscope.shipper.output.logstash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog (the Debian package: {@code rsyslogd}, and {@code rsyslog-gnutls} for TLS) run by
 * a test with its own configuration in its own directory: imtcp (and imudp) on one port of
 * 127.0.0.1, every message written by a template that shows what rsyslog parsed:
 *
 * <pre>{@code protocol-version|hostname|app-name|procid|msgid|syslogtag|programname|pri|
 * timereported (RFC 3339)|structured-data|msg}</pre>
 *
 * or, for JSON lines, the raw message. Never the system's rsyslog: it is not started as a
 * service, reads no /etc/rsyslog.conf and opens no /dev/log. With {@code CI=true} a missing
 * rsyslogd fails the test; elsewhere the test is skipped.
 */
public final class Rsyslog implements AutoCloseable {

  public static final String FIELDS = "%protocol-version%|%hostname%|%app-name%|%procid%|%msgid%|"
      + "%syslogtag%|%programname%|%pri%|%timereported:::date-rfc3339%|%structured-data%|%msg%\\n";
  public static final String RAW = "%rawmsg%\\n";

  private final Path dir;
  private final int port;
  private final Path out;
  private Process process;

  private Rsyslog(Path dir, int port, String conf) throws IOException {
    this.dir = dir;
    this.port = port;
    this.out = dir.resolve("received.log");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("rsyslog.conf"), conf);
  }

  /** Checks that rsyslogd runs here (scripts/setup-host.sh installs it). */
  public static void require() {
    String message = "rsyslogd (Debian packages rsyslog, rsyslog-gnutls; scripts/setup-host.sh installs them)";
    int rc;
    String output;
    try {
      Process p = new ProcessBuilder("rsyslogd", "-v").redirectErrorStream(true).start();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      rc = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      rc = -1;
      output = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rc = -1;
      output = "interrupted";
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertEquals(0, rc, message + ": " + output);
    } else {
      org.junit.jupiter.api.Assumptions.assumeTrue(rc == 0, message + ": " + output);
    }
  }

  /** A port nobody listens on now (TCP and UDP). */
  public static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      int p;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        p = s.getLocalPort();
      }
      try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
        return p;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port");
  }

  /** Plain TCP and UDP on {@code port}, messages written with {@code template}. */
  public static Rsyslog plain(Path dir, int port, String template) throws IOException {
    return new Rsyslog(dir, port, global(dir, "") + """
        module(load="imtcp" maxSessions="50")
        module(load="imudp")
        input(type="imtcp" port="%d" address="127.0.0.1" ruleset="r")
        input(type="imudp" port="%d" address="127.0.0.1" ruleset="r" rcvbufSize="4m")
        """.formatted(port, port) + ruleset(dir, template));
  }

  /**
   * TLS (gtls driver) on {@code port}; {@code authMode} {@code anon} (any client) or
   * {@code x509/certvalid} (clients must present a certificate the CA signed).
   */
  public static Rsyslog tls(Path dir, int port, Path ca, Path cert, Path key, String authMode)
      throws IOException {
    String tls = "\n  DefaultNetstreamDriverCAFile=\"%s\" DefaultNetstreamDriverCertFile=\"%s\" DefaultNetstreamDriverKeyFile=\"%s\""
        .formatted(ca, cert, key);
    return new Rsyslog(dir, port, global(dir, tls) + """
        module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="%s")
        input(type="imtcp" port="%d" address="127.0.0.1" ruleset="r")
        """.formatted(authMode, port) + ruleset(dir, FIELDS));
  }

  private static String global(Path dir, String extra) {
    return "global(workDirectory=\"%s\" maxMessageSize=\"256k\"%s)\n".formatted(dir, extra);
  }

  private static String ruleset(Path dir, String template) {
    return """
        template(name="t" type="string" string="%s")
        ruleset(name="r") { action(type="omfile" file="%s" template="t") }
        """.formatted(template, dir.resolve("received.log"));
  }

  public int port() {
    return port;
  }

  /** Starts rsyslogd in the foreground and waits until its TCP listener accepts. */
  public Rsyslog start() throws IOException, InterruptedException {
    process = new ProcessBuilder("rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(),
        "-i", dir.resolve("rsyslogd.pid").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.log").toFile()))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!process.isAlive()) {
        fail("rsyslogd exited with " + process.exitValue() + ": " + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return this;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          fail("rsyslogd does not listen on " + port + " after 20 s: " + log());
        }
        Thread.sleep(50);
      }
    }
  }

  /** Sends RFC 5424 probes over UDP until one is written: imudp is then listening. */
  public void awaitUdp() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (DatagramSocket d = new DatagramSocket()) {
      byte[] probe = "<134>1 - probe-host probe - - - probe".getBytes(StandardCharsets.US_ASCII);
      while (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).contains("probe-host")) {
        if (System.nanoTime() > deadline) {
          fail("rsyslogd writes no UDP probe after 20 s: " + log());
        }
        d.send(new DatagramPacket(probe, probe.length, InetAddress.getLoopbackAddress(), port));
        Thread.sleep(100);
      }
    }
  }

  /** SIGTERM, as a service stop: rsyslog closes its sessions and writes what it has queued. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The lines written so far (without probes). */
  public List<String> lines() throws IOException {
    if (!Files.exists(out)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (!l.contains("probe-host")) {
        lines.add(l);
      }
    }
    return lines;
  }

  /** The lines split into the {@link #FIELDS} fields (11; the message may hold '|'). */
  public List<String[]> records() throws IOException {
    List<String[]> r = new ArrayList<>();
    for (String l : lines()) {
      r.add(l.split("\\|", 11));
    }
    return r;
  }

  public String log() {
    try {
      Path p = dir.resolve("rsyslogd.log");
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
