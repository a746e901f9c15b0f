package io.swarmscope.shipper.output.logstash;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages on one TCP (or TLS) connection, framed, with backpressure and at-least-once delivery:
 *
 * <ul>
 *   <li>A batch is encoded into chunks of about 64 KiB written to the channel; when Netty's
 *       outbound buffer passes its high-water mark (256 KiB) the sender waits until it drains.
 *       Nothing grows without bound: a slow receiver stops this thread, the output's queue fills,
 *       and the readers stop.</li>
 *   <li>An event is done (acknowledged) when the write of its chunk succeeded, i.e. its bytes
 *       were handed to the kernel. If the connection breaks, the events whose writes failed are
 *       sent again on the next connection, in order.</li>
 *   <li>Bytes the kernel took may still be lost when the peer goes away (in our send buffer, on
 *       the wire, in the peer's receive buffer, in the peer's memory). So the last
 *       {@code resendBytes} of events written in the 10 s before a break are sent again first on
 *       the next connection (they may arrive twice; counted in
 *       {@code swarmscope_output_errors_total{reason="resent"}}); the events written in those 10 s
 *       that did not fit are counted as {@code reason="unconfirmed"}: what a break may have lost.</li>
 *   <li>Connecting (and the TLS handshake) is retried with backoff, 0.5 s doubling to 30 s, for as
 *       long as it takes. A new connection is first left to settle (twice the time connecting
 *       took, 20 ms to 2 s): a peer that refuses after accepting (a TLS 1.3 server that wants a
 *       client certificate decides after the client's handshake is done) is then a failed
 *       attempt, before anything is acknowledged. A connection that breaks within 5 s counts as a
 *       failed attempt for the backoff too.</li>
 * </ul>
 *
 * <p>Used by the output's worker thread only.
 */
final class TcpSender implements Sender {

  private static final Logger log = LoggerFactory.getLogger(TcpSender.class);
  static final int CHUNK_BYTES = 64 * 1024;
  static final long RESEND_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** A connection that breaks sooner than this after it was made counts as a failed attempt. */
  static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final LogstashSettings settings;
  private final EventEncoder encoder;
  private final Framing framing;
  private final SslContext ssl;
  private final Bootstrap bootstrap;
  /** Where an octet-counted message is encoded before its length is known (reused). */
  private final ByteBuf scratch = Unpooled.buffer(4096);
  private final CounterDataPoint shipped;
  private final CounterDataPoint connectErrors;
  private final CounterDataPoint handshakeErrors;
  private final CounterDataPoint lostConnections;
  private final CounterDataPoint writeFailed;
  private final CounterDataPoint resent;
  private final CounterDataPoint unconfirmed;

  private Channel channel;
  private ChannelGate gate;
  private final ArrayDeque<Sent> window = new ArrayDeque<>();
  private long windowBytes;
  /** {write time, events} of the chunks written on this connection in the last 10 s. */
  private final ArrayDeque<long[]> recent = new ArrayDeque<>();
  private List<LogEvent> replay = List.of();
  private Throwable lastWriteFailure;
  private long backoffMs = 500;
  private boolean pause;
  private boolean failing;
  private long connectedAt;
  /** When the sender began waiting for a channel that would not take more (0: not waiting). */
  private long stalledSince;
  private long connections;

  /** An event written on the current connection: kept to be re-sent if it breaks. */
  private record Sent(LogEvent event, int bytes, long nanos) {}

  /** A chunk written and the events it holds, {@code [start, end)}. */
  private record Pending(int start, int end, ChannelFuture future) {}

  /** Why a connection attempt failed, with the metric reason. */
  private static final class ConnectFailure extends Exception {
    final String reason;

    ConnectFailure(String reason, Throwable cause) {
      super(cause == null ? reason : cause.toString(), cause);
      this.reason = reason;
    }
  }

  TcpSender(LogstashSettings settings, SslContext ssl, EventLoopGroup group, ShipperMetrics metrics,
      String node, String output) {
    this.settings = settings;
    this.encoder = settings.encoder();
    this.framing = settings.framing();
    this.ssl = ssl;
    this.shipped = metrics.shipped.labelValues(node, output);
    this.connectErrors = metrics.outputErrors.labelValues(node, output, "connect");
    this.handshakeErrors = metrics.outputErrors.labelValues(node, output, "tls_handshake");
    this.lostConnections = metrics.outputErrors.labelValues(node, output, "connection_lost");
    this.writeFailed = metrics.outputErrors.labelValues(node, output, "write_failed");
    this.resent = metrics.outputErrors.labelValues(node, output, "resent");
    this.unconfirmed = metrics.outputErrors.labelValues(node, output, "unconfirmed");
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              SslHandler h = ssl.newHandler(ch.alloc(), settings.host(), settings.port());
              h.setHandshakeTimeoutMillis(settings.connectTimeoutMillis());
              ch.pipeline().addLast("tls", h);
            }
            ch.pipeline().addLast("gate", new ChannelGate());
          }
        });
  }

  @Override
  public void deliver(List<LogEvent> batch, Consumer<LogEvent> done) throws InterruptedException {
    int next = 0;
    while (next < batch.size()) {
      Channel ch = connected();
      if (!replay.isEmpty()) {
        List<LogEvent> again = replay;
        replay = List.of();
        int ok = write(ch, again, 0, null);
        resent.inc(ok);
        if (ok < again.size()) {
          replay = new ArrayList<>(again.subList(ok, again.size()));
          lost();
          continue;
        }
      }
      next = write(ch, batch, next, done);
      if (next < batch.size()) {
        writeFailed.inc(batch.size() - next);
        lost();
      }
    }
  }

  /** Connections made so far (tests). */
  long connections() {
    return connections;
  }

  /** The open connection, or a new one (blocks, retrying with backoff). */
  private Channel connected() throws InterruptedException {
    if (channel != null) {
      if (channel.isActive()) {
        return channel;
      }
      lost();
    }
    while (true) {
      if (pause) {
        Thread.sleep(backoffMs);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
      try {
        Channel ch = connectOnce();
        channel = ch;
        gate = ch.pipeline().get(ChannelGate.class);
        connectedAt = System.nanoTime();
        pause = false;
        connections++;
        if (failing) {
          failing = false;
          log.info("connected to logstash at {} again", settings.address());
        } else if (connections == 1) {
          log.info("connected to logstash at {} ({} {}, {} framing)", settings.address(),
              settings.protocol().wireName(), settings.transport().name().toLowerCase(java.util.Locale.ROOT),
              framing.wireName());
        } else {
          log.info("reconnected to logstash at {}", settings.address());
        }
        return ch;
      } catch (ConnectFailure e) {
        (e.reason.equals("tls_handshake") ? handshakeErrors : connectErrors).inc();
        pause = true;
        if (!failing) {
          failing = true;
          log.warn("cannot connect to logstash at {} ({}: {}); retrying every {} ms up to {} s; "
              + "readers stop when the queue is full, Docker's log files hold the backlog",
              settings.address(), e.reason, e.getMessage(), backoffMs, MAX_BACKOFF_MS / 1000);
        } else {
          log.debug("cannot connect to logstash at {} ({}: {})", settings.address(), e.reason,
              e.getMessage());
        }
      }
    }
  }

  private Channel connectOnce() throws ConnectFailure, InterruptedException {
    long t0 = System.nanoTime();
    ChannelFuture f = bootstrap.connect(settings.host(), settings.port());
    try {
      f.await();
    } catch (InterruptedException e) {
      f.cancel(false);
      f.channel().close();
      throw e;
    }
    if (!f.isSuccess()) {
      f.channel().close();
      throw new ConnectFailure("connect", f.cause());
    }
    Channel ch = f.channel();
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    if (tls != null) {
      io.netty.util.concurrent.Future<Channel> hs = tls.handshakeFuture();
      try {
        hs.await();
      } catch (InterruptedException e) {
        ch.close();
        throw e;
      }
      if (!hs.isSuccess()) {
        ch.close();
        throw new ConnectFailure("tls_handshake", rootCause(hs.cause()));
      }
    }
    // Settle: a peer that refuses us after accepting (TLS 1.3 servers check the client
    // certificate after the client's handshake is done; a proxy without a backend closes at
    // once) does so within a round trip. Writing before that would acknowledge events the peer
    // never reads; so wait twice the time connecting took (20 ms to 2 s) and look again.
    long settle = Math.clamp(2 * (System.nanoTime() - t0), TimeUnit.MILLISECONDS.toNanos(20),
        TimeUnit.SECONDS.toNanos(2));
    ChannelGate g = ch.pipeline().get(ChannelGate.class);
    try {
      ch.closeFuture().await(TimeUnit.NANOSECONDS.toMillis(settle));
    } catch (InterruptedException e) {
      ch.close();
      throw e;
    }
    if (!ch.isActive()) {
      Throwable why = g == null ? null : g.failure();
      throw new ConnectFailure(tls != null ? "tls_handshake" : "connect",
          why != null ? rootCause(why) : new java.io.IOException("closed by the peer right after connecting"));
    }
    return ch;
  }

  /**
   * Writes {@code events[from..]} to {@code ch}; returns the index after the last event whose
   * write succeeded. Calls {@code done} (when given) for each of those, in order.
   */
  private int write(Channel ch, List<LogEvent> events, int from, Consumer<LogEvent> done)
      throws InterruptedException {
    int n = events.size();
    int[] sizes = new int[n];
    List<Pending> pending = new ArrayList<>();
    ByteBuf chunk = null;
    int start = from;
    int end = from;
    try {
      while (end < n && ch.isActive()) {
        if (chunk == null) {
          chunk = ch.alloc().ioBuffer(CHUNK_BYTES + CHUNK_BYTES / 4);
        }
        int before = chunk.writerIndex();
        framing.write(chunk, events.get(end), encoder, scratch);
        sizes[end] = chunk.writerIndex() - before;
        end++;
        if (chunk.readableBytes() >= CHUNK_BYTES) {
          ByteBuf c = chunk;
          chunk = null;
          pending.add(new Pending(start, end, ch.write(c)));
          start = end;
          if (!ch.isWritable()) {
            ch.flush();
            stalledSince = System.nanoTime();
            gate.awaitWritable(ch);
            if (ch.isActive()) {
              stalledSince = 0;
            }
          }
        }
      }
      if (chunk != null) {
        ByteBuf c = chunk;
        chunk = null;
        pending.add(new Pending(start, end, ch.write(c)));
      }
    } finally {
      if (chunk != null) {
        chunk.release();
      }
      ch.flush();
    }
    int ok = from;
    for (Pending p : pending) {
      if (!p.future().isDone()) {
        if (stalledSince == 0) {
          stalledSince = System.nanoTime();
        }
        p.future().await();
      }
      if (!p.future().isSuccess()) {
        lastWriteFailure = p.future().cause();
        break;
      }
      if (ch.isActive()) {
        stalledSince = 0;
      }
      long now = System.nanoTime();
      recent.addLast(new long[] {now, p.end() - p.start()});
      // Trimmed against the start of a stall, if there is one: what was written before it may
      // still sit in the kernel buffers, however long the stall lasted.
      long ref = stalledSince != 0 ? stalledSince : now;
      while (ref - recent.peekFirst()[0] > RESEND_MAX_AGE_NANOS) {
        recent.pollFirst();
      }
      for (int j = p.start(); j < p.end(); j++) {
        LogEvent e = events.get(j);
        remember(e, sizes[j], now);
        if (done != null) {
          shipped.inc();
          done.accept(e);
        }
      }
      ok = p.end();
    }
    return ok;
  }

  private void remember(LogEvent e, int bytes, long now) {
    if (settings.resendBytes() <= 0) {
      return;
    }
    window.addLast(new Sent(e, bytes, now));
    windowBytes += bytes;
    while (windowBytes > settings.resendBytes() && !window.isEmpty()) {
      windowBytes -= window.pollFirst().bytes();
    }
  }

  /** The connection broke: close it, and line up what it may have lost for the next one. */
  private void lost() {
    Channel ch = channel;
    Throwable why = gate != null && gate.failure() != null ? gate.failure() : lastWriteFailure;
    channel = null;
    lastWriteFailure = null;
    if (ch != null) {
      ch.close();
    }
    // What the kernel buffers may still hold is what was written in the 10 s before the peer
    // stopped taking bytes: the break itself, or the start of a stall that ended in the break.
    long now = stalledSince != 0 ? stalledSince : System.nanoTime();
    stalledSince = 0;
    List<LogEvent> again = new ArrayList<>(window.size() + replay.size());
    for (Sent s : window) {
      if (now - s.nanos() <= RESEND_MAX_AGE_NANOS) {
        again.add(s.event());
      }
    }
    long written = 0;
    for (long[] r : recent) {
      if (now - r[0] <= RESEND_MAX_AGE_NANOS) {
        written += r[1];
      }
    }
    recent.clear();
    int fromWindow = again.size();
    long atRisk = Math.max(0, written - fromWindow);
    unconfirmed.inc(atRisk);
    again.addAll(replay);
    replay = again;
    window.clear();
    windowBytes = 0;
    lostConnections.inc();
    if (System.nanoTime() - connectedAt < STABLE_NANOS) {
      pause = true; // accepted, then dropped at once: back off as for a failed attempt
    } else {
      backoffMs = 500;
    }
    log.warn("connection to logstash at {} lost ({}); reconnecting, then sending again the {} "
        + "events written in its last 10 s / {} bytes (they may arrive twice); {} more events "
        + "written in those 10 s did not fit and may be lost (swarmscope_output_errors_total"
        + "{reason=\"unconfirmed\"})", settings.address(),
        why == null ? "closed by the peer" : rootCause(why).toString(), fromWindow,
        settings.resendBytes(), atRisk);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  @Override
  public void close() {
    scratch.release();
    Channel ch = channel;
    channel = null;
    if (ch != null) {
      ch.close().awaitUninterruptibly(1_000);
    }
  }
}
