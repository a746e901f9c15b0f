// A TCP sink for the log shipper's Logstash benchmark (scripts/bench/bench-shipper-logstash.sh):
// accepts connections on 127.0.0.1:PORT and counts messages, newline-framed (JSON lines) or
// octet-counted (RFC 6587, syslog), discarding the bytes. Prints "<epoch seconds> <count>" every
// 100 ms when the count changed. JDK only: run with `java LineSink.java PORT newline|octet`.
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

public class LineSink {
  static final AtomicLong COUNT = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    boolean octet = args.length > 1 && args[1].equals("octet");
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread.ofPlatform().daemon(true).start(() -> {
      long last = -1;
      while (true) {
        long c = COUNT.get();
        if (c != last) {
          System.out.printf("%.3f %d%n", System.currentTimeMillis() / 1000.0, c);
          System.out.flush();
          last = c;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    System.out.println("listening " + port + (octet ? " octet" : " newline"));
    System.out.flush();
    while (true) {
      SocketChannel ch = server.accept();
      Thread.ofPlatform().daemon(true).start(() -> read(ch, octet));
    }
  }

  static void read(SocketChannel ch, boolean octet) {
    ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
    long remaining = -1; // octet: bytes of the current message still to skip; -1 reading a length
    long len = 0;
    try (ch) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        long n = 0;
        if (!octet) {
          while (buf.hasRemaining()) {
            if (buf.get() == '\n') {
              n++;
            }
          }
        } else {
          while (buf.hasRemaining()) {
            if (remaining < 0) {
              byte b = buf.get();
              if (b == ' ') {
                remaining = len;
                len = 0;
              } else {
                len = len * 10 + (b - '0');
              }
            } else {
              int skip = (int) Math.min(remaining, buf.remaining());
              buf.position(buf.position() + skip);
              remaining -= skip;
            }
            if (remaining == 0) {
              n++;
              remaining = -1;
            }
          }
        }
        COUNT.addAndGet(n);
        buf.clear();
      }
    } catch (Exception e) {
      System.err.println("connection: " + e);
    }
  }
}
