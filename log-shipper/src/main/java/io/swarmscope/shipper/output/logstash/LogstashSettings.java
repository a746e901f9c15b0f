package io.swarmscope.shipper.output.logstash;

import io.swarmscope.shipper.ShipperConfig;
import io.swarmscope.shipper.output.QueuedOutput.BatchPolicy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code logstash} output's settings ({@code SWARMSCOPE_LOGSTASH_*}, flags
 * {@code --logstash.*}). The defaults match the bundle's Logstash pipeline
 * ({@code config/logstash/pipeline.conf}: {@code tcp} input on port 5000, {@code json_lines}
 * codec): JSON lines over plain TCP.
 *
 * @param host receiver host name or address
 * @param port receiver port
 * @param protocol what each message is
 * @param transport how it travels
 * @param framing how messages are delimited on TCP/TLS (ignored for UDP)
 * @param caFile CA certificates (PEM) the server's certificate must chain to; empty: the JDK's
 * @param certFile client certificate chain (PEM), for servers that ask for one
 * @param keyFile the client certificate's private key (PEM, unencrypted PKCS#8)
 * @param verifyHostname whether the server certificate must name {@code host} (HTTPS rules)
 * @param facility syslog facility code
 * @param bom whether RFC 5424 messages start with a UTF-8 BOM
 * @param udpMaxBytes largest datagram payload; longer syslog messages are cut at a UTF-8 boundary
 * @param resendBytes how much of what was written on a TCP/TLS connection is kept to be re-sent
 *     after it breaks (0: nothing)
 * @param batching how the queue is cut into batches
 * @param connectTimeoutMillis connect (and TLS handshake) timeout
 */
public record LogstashSettings(String host, int port, Protocol protocol, Transport transport,
    Framing framing, Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile,
    boolean verifyHostname, int facility, boolean bom, int udpMaxBytes, long resendBytes,
    BatchPolicy batching, int connectTimeoutMillis) {

  /** The largest UDP payload over IPv4 (65535 - 8 - 20). */
  public static final int MAX_DATAGRAM = 65_507;
  /** RFC 5426 §3.2: every receiver must take 480 bytes; no setting goes below. */
  public static final int MIN_DATAGRAM = 480;

  /** What a message is. */
  public enum Protocol {
    /** RFC 5424 syslog; default UDP limit 8192 bytes. */
    SYSLOG5424("syslog5424", 8192),
    /** RFC 3164 (BSD) syslog; default UDP limit 1024 bytes, the RFC's own. */
    SYSLOG3164("syslog3164", 1024),
    /** The ECS document as a JSON line (Logstash's {@code json_lines} codec). */
    JSON("json", MAX_DATAGRAM);

    private final String wireName;
    private final int defaultUdpMax;

    Protocol(String wireName, int defaultUdpMax) {
      this.wireName = wireName;
      this.defaultUdpMax = defaultUdpMax;
    }

    public String wireName() {
      return wireName;
    }

    public int defaultUdpMaxBytes() {
      return defaultUdpMax;
    }

    public static Protocol of(String s) {
      for (Protocol p : values()) {
        if (p.wireName.equalsIgnoreCase(s.trim())) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown logstash protocol '" + s
          + "' (json, syslog5424, syslog3164)");
    }
  }

  /** How messages travel. */
  public enum Transport {
    TCP, TLS, UDP;

    public static Transport of(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown logstash transport '" + s + "' (tcp, tls, udp)");
      }
    }
  }

  public LogstashSettings {
    if (protocol == Protocol.JSON && framing == Framing.OCTET_COUNTING
        && transport != Transport.UDP) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_FRAMING=octet does not apply to "
          + "protocol json: JSON lines are newline-delimited (what Logstash's json_lines codec reads)");
    }
    if (transport != Transport.TLS
        && (caFile.isPresent() || certFile.isPresent() || keyFile.isPresent())) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_CA_FILE/CERT_FILE/KEY_FILE are set "
          + "but SWARMSCOPE_LOGSTASH_TRANSPORT is " + transport.name().toLowerCase(Locale.ROOT)
          + ": set it to tls (refusing to send in clear what was meant to be encrypted)");
    }
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_CERT_FILE and "
          + "SWARMSCOPE_LOGSTASH_KEY_FILE go together (a client certificate and its key)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("logstash port " + port + " is not in 1-65535");
    }
    if (udpMaxBytes < MIN_DATAGRAM || udpMaxBytes > MAX_DATAGRAM) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_UDP_MAX_BYTES=" + udpMaxBytes
          + " is not in " + MIN_DATAGRAM + "-" + MAX_DATAGRAM);
    }
    if (resendBytes < 0) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_RESEND_BYTES must not be negative");
    }
  }

  /** The settings from the shipper's configuration. */
  public static LogstashSettings from(ShipperConfig config) {
    String address = config.get("LOGSTASH_ADDRESS", "127.0.0.1:5000");
    Protocol protocol = Protocol.of(config.get("LOGSTASH_PROTOCOL", "json"));
    Transport transport = Transport.of(config.get("LOGSTASH_TRANSPORT", "tcp"));
    Framing framing = config.optional("LOGSTASH_FRAMING").map(Framing::of)
        .orElse(protocol == Protocol.JSON ? Framing.NEWLINE : Framing.OCTET_COUNTING);
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_ADDRESS='" + address
          + "' is not host:port (an IPv6 address in brackets: [::1]:5000)");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SWARMSCOPE_LOGSTASH_ADDRESS='" + address
          + "': the port is not a number");
    }
    return new LogstashSettings(host, port, protocol, transport, framing,
        config.path("LOGSTASH_CA_FILE"), config.path("LOGSTASH_CERT_FILE"),
        config.path("LOGSTASH_KEY_FILE"), config.flag("LOGSTASH_TLS_VERIFY_HOSTNAME", true),
        SyslogFields.facility(config.get("LOGSTASH_FACILITY", "local0")),
        config.flag("LOGSTASH_SYSLOG_BOM", false),
        (int) config.bytes("LOGSTASH_UDP_MAX_BYTES", protocol.defaultUdpMaxBytes()),
        config.bytes("LOGSTASH_RESEND_BYTES", 1L << 20),
        new BatchPolicy(config.integer("LOGSTASH_BATCH_EVENTS", 2000),
            config.bytes("LOGSTASH_BATCH_BYTES", 1L << 20),
            config.integer("LOGSTASH_BATCH_LINGER_MS", 20)),
        config.integer("LOGSTASH_CONNECT_TIMEOUT_MS", 10_000));
  }

  /** Plain TCP to {@code host:port} with the given protocol and the defaults of everything else. */
  public static LogstashSettings tcp(String host, int port, Protocol protocol) {
    return new LogstashSettings(host, port, protocol, Transport.TCP,
        protocol == Protocol.JSON ? Framing.NEWLINE : Framing.OCTET_COUNTING, Optional.empty(),
        Optional.empty(), Optional.empty(), true, SyslogFields.DEFAULT_FACILITY, false,
        protocol.defaultUdpMaxBytes(), 1L << 20, new BatchPolicy(2000, 1L << 20, 20), 10_000);
  }

  /** These settings with another transport (and TLS files). */
  public LogstashSettings withTransport(Transport t, Optional<Path> ca, Optional<Path> cert,
      Optional<Path> key) {
    return new LogstashSettings(host, port, protocol, t, framing, ca, cert, key, verifyHostname,
        facility, bom, udpMaxBytes, resendBytes, batching, connectTimeoutMillis);
  }

  public LogstashSettings withFraming(Framing f) {
    return new LogstashSettings(host, port, protocol, transport, f, caFile, certFile, keyFile,
        verifyHostname, facility, bom, udpMaxBytes, resendBytes, batching, connectTimeoutMillis);
  }

  public LogstashSettings withVerifyHostname(boolean v) {
    return new LogstashSettings(host, port, protocol, transport, framing, caFile, certFile, keyFile,
        v, facility, bom, udpMaxBytes, resendBytes, batching, connectTimeoutMillis);
  }

  public LogstashSettings withUdpMaxBytes(int max) {
    return new LogstashSettings(host, port, protocol, transport, framing, caFile, certFile, keyFile,
        verifyHostname, facility, bom, max, resendBytes, batching, connectTimeoutMillis);
  }

  public LogstashSettings withResendBytes(long bytes) {
    return new LogstashSettings(host, port, protocol, transport, framing, caFile, certFile, keyFile,
        verifyHostname, facility, bom, udpMaxBytes, bytes, batching, connectTimeoutMillis);
  }

  public LogstashSettings withBatching(BatchPolicy b) {
    return new LogstashSettings(host, port, protocol, transport, framing, caFile, certFile, keyFile,
        verifyHostname, facility, bom, udpMaxBytes, resendBytes, b, connectTimeoutMillis);
  }

  /** The encoder these settings call for. */
  public EventEncoder encoder() {
    boolean escape = transport != Transport.UDP && framing == Framing.NEWLINE;
    return switch (protocol) {
      case SYSLOG5424 -> new Rfc5424Encoder(facility, escape, bom);
      case SYSLOG3164 -> new Rfc3164Encoder(facility, escape);
      case JSON -> new JsonLinesEncoder();
    };
  }

  /** {@code host:port} as in the setting. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
