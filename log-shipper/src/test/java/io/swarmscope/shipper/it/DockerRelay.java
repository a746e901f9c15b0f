package io.swarmscope.shipper.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A byte relay from a loopback TCP port to the engine's socket, standing in for the bundle's
 * Docker API proxy: {@link #cut()} breaks every open connection (the event stream and the log
 * streams) and refuses new ones until {@link #restore()}, as a restarting proxy or dockerd does;
 * {@link #stall()} breaks them too, but then accepts new ones and never answers on them (they stay
 * stalled after the restore), as a hung engine or proxy does.
 * It copies bytes only; HTTP stays between the shipper's client and the engine.
 */
final class DockerRelay implements AutoCloseable {

  private final ServerSocket server;
  private final UnixDomainSocketAddress engine;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private volatile boolean down;
  private volatile boolean stalled;
  private volatile boolean closed;

  DockerRelay(String engineSocket) throws IOException {
    this.engine = UnixDomainSocketAddress.of(engineSocket);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("relay-accept").start(this::accept);
  }

  /** The address to give the shipper as {@code --docker.host}. */
  String dockerHost() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Breaks every open connection and refuses new ones. */
  void cut() {
    down = true;
    for (AutoCloseable c : open) {
      closeQuietly(c);
    }
    open.clear();
  }

  /** Breaks every open connection; new ones are accepted and then get no answer, ever. */
  void stall() {
    stalled = true;
    cut();
    down = false;
  }

  void restore() {
    stalled = false;
    down = false;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (down) {
        closeQuietly(client);
        continue;
      }
      if (stalled) {
        open.add(client);  // read nothing, answer nothing: closed only by close()
        continue;
      }
      try {
        SocketChannel upstream = SocketChannel.open(engine);
        open.add(client);
        open.add(upstream);
        InputStream fromUpstream = Channels.newInputStream(upstream);
        OutputStream toUpstream = Channels.newOutputStream(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream, inputOf(client), toUpstream));
        Thread.ofVirtual().start(() -> pump(client, upstream, fromUpstream, outputOf(client)));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket client, SocketChannel upstream, InputStream in, OutputStream out) {
    byte[] buffer = new byte[16384];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // cut, or one side closed: close both below
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
      open.remove(client);
      open.remove(upstream);
    }
  }

  private static InputStream inputOf(Socket s) {
    try {
      return s.getInputStream();
    } catch (IOException e) {
      return InputStream.nullInputStream();
    }
  }

  private static OutputStream outputOf(Socket s) {
    try {
      return s.getOutputStream();
    } catch (IOException e) {
      return OutputStream.nullOutputStream();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    cut();
    closeQuietly(server);
  }
}
