package io.swarmscope.shipper.output.logstash;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datagram per event, fire and forget: an event is done when its datagram was handed to the
 * kernel; nothing tells whether it arrived. Syslog messages longer than the limit are cut at a
 * UTF-8 boundary (counted in {@code swarmscope_log_lines_tagged_total{tag="udp_truncated"}});
 * a JSON document longer than the limit cannot be cut and is dropped (counted in
 * {@code swarmscope_log_lines_dropped_total{reason="udp_oversize"}}). The address is resolved for
 * every batch, so a receiver that moves (Swarm DNS) is followed.
 */
final class UdpSender implements Sender {

  private static final Logger log = LoggerFactory.getLogger(UdpSender.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final LogstashSettings settings;
  private final EventEncoder encoder;
  private final Bootstrap bootstrap;
  private final ShipperMetrics metrics;
  private final String node;
  private final String output;
  private final CounterDataPoint shipped;
  private final CounterDataPoint truncated;
  private final CounterDataPoint sendErrors;
  private final CounterDataPoint resolveErrors;
  private Channel channel;
  private ChannelGate gate;
  private boolean failing;

  UdpSender(LogstashSettings settings, EventLoopGroup group, ShipperMetrics metrics, String node,
      String output) {
    this.settings = settings;
    this.encoder = settings.encoder();
    this.metrics = metrics;
    this.node = node;
    this.output = output;
    this.shipped = metrics.shipped.labelValues(node, output);
    this.truncated = metrics.tagged.labelValues(node, "udp_truncated");
    this.sendErrors = metrics.outputErrors.labelValues(node, output, "udp_send");
    this.resolveErrors = metrics.outputErrors.labelValues(node, output, "resolve");
    this.bootstrap = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
        .handler(new ChannelGate());
  }

  @Override
  public void deliver(List<LogEvent> batch, Consumer<LogEvent> done) throws InterruptedException {
    InetSocketAddress target = resolve();
    Channel ch = bound();
    List<ChannelFuture> futures = new ArrayList<>(batch.size());
    for (LogEvent e : batch) {
      byte[] msg = encoder.encode(e);
      if (msg.length > settings.udpMaxBytes()) {
        if (!encoder.truncatable()) {
          futures.add(null);
          continue;
        }
        msg = Utf8.truncate(msg, settings.udpMaxBytes());
        truncated.inc();
      }
      futures.add(ch.write(new DatagramPacket(Unpooled.wrappedBuffer(msg), target)));
      if (!ch.isWritable()) {
        ch.flush();
        gate.awaitWritable(ch);
      }
    }
    ch.flush();
    for (int i = 0; i < batch.size(); i++) {
      LogEvent e = batch.get(i);
      ChannelFuture f = futures.get(i);
      if (f == null) {
        drop(e, "udp_oversize", "its JSON document is larger than SWARMSCOPE_LOGSTASH_UDP_MAX_BYTES="
            + settings.udpMaxBytes() + " and a cut document would not be JSON");
      } else {
        f.await();
        if (f.isSuccess()) {
          shipped.inc();
        } else {
          sendErrors.inc();
          drop(e, "udp_send_failed", f.cause().toString());
        }
      }
      done.accept(e);
    }
  }

  private void drop(LogEvent e, String reason, String why) {
    metrics.dropped.labelValues(e.container().stack(), EcsDocument.serviceName(e.container()), node,
        reason).inc();
    log.warn("event {} of container {} not sent to {} over UDP: {}; counted in "
        + "swarmscope_log_lines_dropped_total{reason=\"{}\"}", e.id(), e.container().name(),
        settings.address(), why, reason);
  }

  private InetSocketAddress resolve() throws InterruptedException {
    long backoff = 500;
    while (true) {
      InetSocketAddress a = new InetSocketAddress(settings.host(), settings.port());
      if (!a.isUnresolved()) {
        if (failing) {
          failing = false;
          log.info("logstash address {} resolves again", settings.address());
        }
        return a;
      }
      resolveErrors.inc();
      if (!failing) {
        failing = true;
        log.warn("cannot resolve logstash host {}; retrying every {} ms up to {} s",
            settings.host(), backoff, MAX_BACKOFF_MS / 1000);
      }
      Thread.sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  private Channel bound() throws InterruptedException {
    if (channel != null && channel.isActive()) {
      return channel;
    }
    ChannelFuture f = bootstrap.bind(0).await();
    if (!f.isSuccess()) {
      throw new IllegalStateException("cannot open a UDP socket", f.cause());
    }
    channel = f.channel();
    gate = channel.pipeline().get(ChannelGate.class);
    log.info("sending to logstash at {} over UDP ({}, datagrams up to {} bytes)",
        settings.address(), settings.protocol().wireName(), settings.udpMaxBytes());
    return channel;
  }

  @Override
  public void close() {
    Channel ch = channel;
    channel = null;
    if (ch != null) {
      ch.close().awaitUninterruptibly(1_000);
    }
  }
}
