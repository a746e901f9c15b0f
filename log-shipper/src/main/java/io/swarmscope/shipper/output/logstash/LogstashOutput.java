package io.swarmscope.shipper.output.logstash;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.AckListener;
import io.swarmscope.shipper.output.QueuedOutput;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The {@code logstash} output: JSON lines or syslog (RFC 5424, RFC 3164) over TCP, TLS or UDP
 * ({@link LogstashSettings}). TCP and TLS are at least once (see {@link TcpSender}: events are
 * acknowledged when the kernel took their bytes; what a broken connection may have lost is sent
 * again), UDP is fire and forget ({@link UdpSender}). Either way the queue in front is bounded
 * and a slow or absent receiver stops the readers.
 *
 * <p>Metrics: {@code swarmscope_log_events_shipped_total{output="logstash"}};
 * {@code swarmscope_output_errors_total{output="logstash",reason=...}} with {@code connect},
 * {@code tls_handshake} (failed attempts), {@code connection_lost} (connections that broke),
 * {@code write_failed} (events whose write failed, sent again), {@code resent} (events sent again
 * after a break, possibly duplicates), {@code unconfirmed} (events written in the 10 s before a
 * break that were not sent again: possibly lost), {@code udp_send}, {@code resolve};
 * {@code swarmscope_log_lines_tagged_total{tag="udp_truncated"}};
 * {@code swarmscope_log_lines_dropped_total{reason="udp_oversize"|"udp_send_failed"}}.
 */
public final class LogstashOutput extends QueuedOutput {

  public static final String NAME = "logstash";

  private final EventLoopGroup group;
  private final Sender sender;

  public LogstashOutput(LogstashSettings settings, long queueBytes, AckListener acks,
      ShipperMetrics metrics, String node) throws IOException {
    super(NAME, queueBytes, settings.batching(), acks);
    SslContext ssl = settings.transport() == LogstashSettings.Transport.TLS ? sslContext(settings) : null;
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("output-logstash-io", true),
        NioIoHandler.newFactory());
    this.sender = settings.transport() == LogstashSettings.Transport.UDP
        ? new UdpSender(settings, group, metrics, node, NAME)
        : new TcpSender(settings, ssl, group, metrics, node, NAME);
  }

  /**
   * The client TLS context: the JDK's TLS implementation; trust from {@code caFile} (else the
   * JDK's CA certificates); a client certificate when {@code certFile}/{@code keyFile} are set;
   * the server's certificate must name the host (HTTPS rules: DNS or IP subject alternative name)
   * unless {@code verifyHostname} is off.
   */
  static SslContext sslContext(LogstashSettings s) throws IOException {
    readable(s.caFile(), "SWARMSCOPE_LOGSTASH_CA_FILE");
    readable(s.certFile(), "SWARMSCOPE_LOGSTASH_CERT_FILE");
    readable(s.keyFile(), "SWARMSCOPE_LOGSTASH_KEY_FILE");
    try {
      SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
          .endpointIdentificationAlgorithm(s.verifyHostname() ? "HTTPS" : null);
      if (s.caFile().isPresent()) {
        b.trustManager(s.caFile().get().toFile());
      }
      if (s.certFile().isPresent()) {
        b.keyManager(s.certFile().get().toFile(), s.keyFile().get().toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new SSLException("cannot set up TLS for logstash at " + s.address() + " from "
          + "SWARMSCOPE_LOGSTASH_CA_FILE/CERT_FILE/KEY_FILE (PEM; the key unencrypted PKCS#8, "
          + "e.g. `openssl pkcs8 -topk8 -nocrypt`): " + e.getMessage(), e);
    }
  }

  private static void readable(Optional<Path> p, String setting) throws IOException {
    if (p.isPresent() && !Files.isReadable(p.get())) {
      throw new IOException(setting + "=" + p.get() + " is not a readable file");
    }
  }

  @Override
  protected void deliver(List<LogEvent> batch) throws InterruptedException {
    sender.deliver(batch, e -> acks.acked(name(), e));
  }

  @Override
  public void close(long graceMillis) {
    super.close(graceMillis);
    sender.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2_000);
  }
}
