package io.swarmscope.shipper.output.logstash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP receiver for tests, in the manner of Logstash's {@code tcp} input: accepts connections on
 * 127.0.0.1 and keeps every byte each one sent. It can hold off reading (a receiver that is
 * slow, for backpressure) and cut the first connection with a reset after some bytes (a peer
 * that dies).
 */
public final class TcpReceiver implements AutoCloseable {

  private final ServerSocket server;
  private final List<Conn> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean reading = true;
  private volatile long resetFirstAfter = -1;

  private static final class Conn {
    final Socket socket;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Conn(Socket socket) {
      this.socket = socket;
    }
  }

  public TcpReceiver(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    acceptor = Thread.ofPlatform().daemon(true).name("test-receiver").start(this::accept);
  }

  public TcpReceiver() throws IOException {
    this(0);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Reset the first connection (RST, as a killed process) once it has read {@code n} bytes. */
  public TcpReceiver resetFirstConnectionAfter(long n) {
    resetFirstAfter = n;
    return this;
  }

  /** Stop or resume reading from the sockets (their kernel buffers fill, then the sender's). */
  public void reading(boolean on) {
    reading = on;
  }

  /** Resets (RST) every connection open now, as a receiver process that is killed. */
  public void resetConnections() throws IOException {
    for (Conn c : connections) {
      if (!c.socket.isClosed()) {
        c.socket.setSoLinger(true, 0);
        c.socket.close();
      }
    }
  }

  public int connectionCount() {
    return connections.size();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Conn c = new Conn(s);
        boolean first = connections.isEmpty();
        connections.add(c);
        Thread.ofPlatform().daemon(true).name("test-receiver-conn").start(() -> read(c, first));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void read(Conn c, boolean first) {
    byte[] buf = new byte[8192];
    try (InputStream in = c.socket.getInputStream()) {
      long total = 0;
      while (true) {
        while (!reading) {
          Thread.sleep(10);
        }
        int max = buf.length;
        if (first && resetFirstAfter >= 0) {
          max = (int) Math.min(max, resetFirstAfter - total);
          if (max <= 0) {
            c.socket.setSoLinger(true, 0);
            c.socket.close();
            return;
          }
        }
        int n = in.read(buf, 0, max);
        if (n < 0) {
          return;
        }
        synchronized (c.bytes) {
          c.bytes.write(buf, 0, n);
        }
        total += n;
      }
    } catch (IOException | InterruptedException e) {
      // closed
    }
  }

  /** Every byte received, connection after connection. */
  public byte[] bytes() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Conn c : connections) {
      synchronized (c.bytes) {
        all.writeBytes(c.bytes.toByteArray());
      }
    }
    return all.toByteArray();
  }

  /** The messages received with newline framing, connection after connection. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (Conn c : connections) {
      byte[] b;
      synchronized (c.bytes) {
        b = c.bytes.toByteArray();
      }
      int start = 0;
      for (int i = 0; i < b.length; i++) {
        if (b[i] == '\n') {
          out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
    }
    return out;
  }

  /** The messages received with octet-counting framing (a partial last frame is left out). */
  public List<String> octetFrames() {
    List<String> out = new ArrayList<>();
    for (Conn c : connections) {
      byte[] b;
      synchronized (c.bytes) {
        b = c.bytes.toByteArray();
      }
      int i = 0;
      while (i < b.length) {
        int sp = i;
        while (sp < b.length && b[sp] != ' ') {
          sp++;
        }
        if (sp >= b.length) {
          break;
        }
        int len = Integer.parseInt(new String(b, i, sp - i, StandardCharsets.US_ASCII));
        if (sp + 1 + len > b.length) {
          break;
        }
        out.add(new String(b, sp + 1, len, StandardCharsets.UTF_8));
        i = sp + 1 + len;
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Conn c : connections) {
      c.socket.close();
    }
  }
}
