package io.swarmscope.shipper.docker;

import io.swarmscope.shipper.pipeline.LogStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Decodes the body of Docker's {@code GET /containers/{id}/logs?timestamps=1} into lines.
 *
 * <p>Two shapes: the multiplexed stream of a non-TTY container (8-byte frame headers naming stdout
 * or stderr, one log message per frame) and the raw stream of a TTY container (messages one after
 * the other). Every message starts with Docker's timestamp and a space. A message that does not
 * end with '\n' is a partial: Docker cut a line longer than 16 KB into several messages, each with
 * its own timestamp; they are joined here, per stream, and the line takes the first timestamp.
 *
 * <p>Memory is bounded: a line keeps at most {@code maxLineBytes}; the rest is counted, not stored.
 * Not thread-safe: one decoder per stream being read.
 */
public final class DockerLogDecoder {

  /** Docker's copier cuts lines into messages of this many bytes. */
  static final int PARTIAL_SIZE = 16 * 1024;
  private static final int HEADER = 8;

  private final int maxLineBytes;
  private final DockerTimestamps timestamps = new DockerTimestamps();
  private final Assembly stdout;
  private final Assembly stderr;
  private byte[] frame = new byte[PARTIAL_SIZE + 64];
  private long malformed;

  public DockerLogDecoder(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
    this.stdout = new Assembly(LogStream.STDOUT);
    this.stderr = new Assembly(LogStream.STDERR);
  }

  /** Messages that had no parseable timestamp (delivered with the previous line's timestamp). */
  public long malformed() {
    return malformed;
  }

  /**
   * Reads a multiplexed stream to its end, handing each line to {@code sink}. A partial line left
   * at the end (the stream ended mid-line) is delivered too.
   */
  public void readMultiplexed(InputStream in, RawLineSink sink) throws IOException, InterruptedException {
    byte[] header = new byte[HEADER];
    while (readFully(in, header, 0, HEADER, true)) {
      int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
          | (header[7] & 0xff);
      if (size < 0) {
        throw new IOException("log frame of negative size: the stream is not multiplexed");
      }
      Assembly target = header[0] == 2 ? stderr : stdout;
      if (frame.length < size) {
        frame = new byte[size];
      }
      readFully(in, frame, 0, size, false);
      target.message(frame, 0, size, sink);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    stdout.finish(sink);
    stderr.finish(sink);
  }

  /**
   * Reads a TTY container's raw stream: messages are separated only by their newlines, and a
   * partial message is recognised by its size (16 KB without a newline, then a timestamp).
   */
  public void readRaw(InputStream in, RawLineSink sink) throws IOException, InterruptedException {
    Assembly tty = new Assembly(LogStream.TTY);
    byte[] buf = new byte[64 * 1024];
    byte[] msg = new byte[PARTIAL_SIZE + 64];
    int msgLen = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        if (msgLen == msg.length) {
          msg = Arrays.copyOf(msg, msg.length * 2);
        }
        msg[msgLen++] = b;
        if (b == '\n' || isFullPartial(msg, msgLen)) {
          tty.message(msg, 0, msgLen, sink);
          msgLen = 0;
        }
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    if (msgLen > 0) {
      tty.message(msg, 0, msgLen, sink);
    }
    tty.finish(sink);
  }

  /** A raw message that holds its timestamp, a space and 16 KB of text without a newline. */
  private static boolean isFullPartial(byte[] msg, int len) {
    return len == DockerTimestamps.FIXED_LENGTH + 1 + PARTIAL_SIZE
        && msg[DockerTimestamps.FIXED_LENGTH] == ' ';
  }

  private static boolean readFully(InputStream in, byte[] b, int off, int len, boolean eofOk)
      throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        if (eofOk && done == 0) {
          return false;
        }
        throw new EOFException("log stream ended inside a frame");
      }
      done += n;
    }
    return true;
  }

  /** Joins the partial messages of one stream into lines. */
  private final class Assembly {
    private final LogStream stream;
    private byte[] line = new byte[1024];
    private int len;
    private long total;
    private long firstTimestamp = Long.MIN_VALUE;
    private long lastTimestamp;
    private boolean open;

    Assembly(LogStream stream) {
      this.stream = stream;
    }

    void message(byte[] b, int off, int size, RawLineSink sink) throws InterruptedException {
      int textStart = off;
      long ts = Long.MIN_VALUE;
      int space = indexOf(b, off, Math.min(size, 64), (byte) ' ');
      if (space >= 0) {
        ts = timestamps.parse(b, off, space - off);
        if (ts != Long.MIN_VALUE) {
          textStart = space + 1;
        }
      }
      if (ts == Long.MIN_VALUE) {
        malformed++;
        ts = lastTimestamp;
      }
      lastTimestamp = ts;
      int end = off + size;
      boolean complete = end > textStart && b[end - 1] == '\n';
      int textEnd = complete ? end - 1 : end;
      if (!open) {
        open = true;
        firstTimestamp = ts;
        len = 0;
        total = 0;
      }
      append(b, textStart, textEnd - textStart);
      if (complete) {
        emit(sink);
      }
    }

    private void append(byte[] b, int off, int n) {
      total += n;
      int room = maxLineBytes - len;
      int keep = Math.min(room, n);
      if (keep <= 0) {
        return;
      }
      if (line.length < len + keep) {
        line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, len + keep)));
      }
      System.arraycopy(b, off, line, len, keep);
      len += keep;
    }

    private void emit(RawLineSink sink) throws InterruptedException {
      open = false;
      sink.line(stream, firstTimestamp, line, 0, len, total);
      if (line.length > 64 * 1024) {
        line = new byte[1024];  // do not keep a huge line's buffer for the stream's lifetime
      }
    }

    void finish(RawLineSink sink) throws InterruptedException {
      if (open) {
        emit(sink);
      }
    }
  }

  private static int indexOf(byte[] b, int off, int len, byte v) {
    for (int i = off; i < off + len; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
