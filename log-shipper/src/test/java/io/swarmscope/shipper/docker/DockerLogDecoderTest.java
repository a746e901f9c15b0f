package io.swarmscope.shipper.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmscope.shipper.pipeline.LogStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder on log API bodies recorded from the real engine (Docker 20.10, json-file driver,
 * {@code GET /containers/{id}/logs?stdout=1&stderr=1&timestamps=1}):
 * <ul>
 *   <li>{@code logs-multiplexed.bin}: a non-TTY busybox that wrote {@code out-1}, {@code err-1} to
 *       stderr, a 40,000-byte line (Docker stored it as three 16 KB partials), an empty line,
 *       {@code café \xff end} (json-file stores the invalid byte as U+FFFD), {@code err-2} to
 *       stderr, and {@code no-newline-at-exit} without a newline before exiting.</li>
 *   <li>{@code logs-tty.bin}: a TTY busybox that wrote {@code tty-1}, a 20,000-byte line and
 *       {@code tty-3}; the terminal turns each newline into CR LF.</li>
 * </ul>
 */
class DockerLogDecoderTest {

  record Line(LogStream stream, String timestamp, String text, long totalBytes) {}

  static List<Line> decode(String fixture, int maxLineBytes, boolean tty, boolean oneByteReads)
      throws Exception {
    byte[] body;
    try (InputStream in = DockerLogDecoderTest.class.getResourceAsStream("/docker/" + fixture)) {
      body = in.readAllBytes();
    }
    InputStream in = new ByteArrayInputStream(body);
    if (oneByteReads) {
      in = new OneByteAtATime(in);
    }
    List<Line> lines = new ArrayList<>();
    RawLineSink sink = (stream, ts, buf, off, len, total) -> lines.add(new Line(stream,
        DockerTimestamps.format(ts), new String(buf, off, len, StandardCharsets.UTF_8), total));
    DockerLogDecoder d = new DockerLogDecoder(maxLineBytes);
    if (tty) {
      d.readRaw(in, sink);
    } else {
      d.readMultiplexed(in, sink);
    }
    assertEquals(0, d.malformed());
    return lines;
  }

  static List<String> texts(List<Line> lines, LogStream stream) {
    return lines.stream().filter(l -> l.stream() == stream).map(Line::text).toList();
  }

  @Test
  void multiplexedBodyGivesEachStreamsLinesWithPartialsJoined() throws Exception {
    List<Line> lines = decode("logs-multiplexed.bin", 1 << 20, false, false);
    String x = "x".repeat(40_000);
    assertEquals(List.of("out-1", x, "", "café \uFFFD end", "no-newline-at-exit"),
        texts(lines, LogStream.STDOUT));
    assertEquals(List.of("err-1", "err-2"), texts(lines, LogStream.STDERR));
    Line big = lines.stream().filter(l -> l.text().equals(x)).findFirst().orElseThrow();
    assertEquals(40_000, big.totalBytes());
    // The joined line carries the timestamp of its first 16 KB partial: the earliest x-line time.
    assertEquals(firstPartialTimestamp("logs-multiplexed.bin", 'x'), big.timestamp());
    assertEquals("2026-12-01T22:13:09.776716257Z", lines.getFirst().timestamp());
  }

  @Test
  void aLineOverTheLimitKeepsItsHeadAndReportsItsFullSize() throws Exception {
    List<Line> lines = decode("logs-multiplexed.bin", 20_000, false, false);
    Line big = lines.stream().filter(l -> l.totalBytes() == 40_000).findFirst().orElseThrow();
    assertEquals("x".repeat(20_000), big.text());
    assertEquals(7, lines.size());
  }

  @Test
  void frameBoundariesAnywhereInTheBodyChangeNothing() throws Exception {
    assertEquals(decode("logs-multiplexed.bin", 1 << 20, false, false),
        decode("logs-multiplexed.bin", 1 << 20, false, true));
    assertEquals(decode("logs-tty.bin", 1 << 20, true, false),
        decode("logs-tty.bin", 1 << 20, true, true));
  }

  @Test
  void ttyBodyIsOneStreamAndItsLongLineIsJoined() throws Exception {
    List<Line> lines = decode("logs-tty.bin", 1 << 20, true, false);
    assertEquals(List.of(LogStream.TTY), lines.stream().map(Line::stream).distinct().toList());
    // The decoder leaves the terminal's CR in place; the line stage strips it.
    assertEquals(List.of("tty-1\r", "y".repeat(20_000) + "\r", "tty-3\r"),
        lines.stream().map(Line::text).toList());
  }

  @Test
  void aBodyCutInsideAFrameIsAnErrorNotASilentLoss() throws Exception {
    byte[] body;
    try (InputStream in = DockerLogDecoderTest.class.getResourceAsStream("/docker/logs-multiplexed.bin")) {
      body = in.readAllBytes();
    }
    byte[] cut = Arrays.copyOf(body, 100); // inside the third frame
    List<String> got = new ArrayList<>();
    DockerLogDecoder d = new DockerLogDecoder(1 << 20);
    assertThrows(EOFException.class, () -> d.readMultiplexed(new ByteArrayInputStream(cut),
        (stream, ts, buf, off, len, total) -> got.add(new String(buf, off, len, StandardCharsets.UTF_8))));
    assertEquals(List.of("out-1", "err-1"), got);
  }

  /** The timestamp of the first frame whose text starts with {@code c}, read from the raw body. */
  static String firstPartialTimestamp(String fixture, char c) throws IOException {
    byte[] body;
    try (InputStream in = DockerLogDecoderTest.class.getResourceAsStream("/docker/" + fixture)) {
      body = in.readAllBytes();
    }
    int pos = 0;
    while (pos + 8 <= body.length) {
      int size = ((body[pos + 4] & 0xff) << 24) | ((body[pos + 5] & 0xff) << 16)
          | ((body[pos + 6] & 0xff) << 8) | (body[pos + 7] & 0xff);
      String msg = new String(body, pos + 8, Math.min(size, 40), StandardCharsets.UTF_8);
      int space = msg.indexOf(' ');
      if (space > 0 && msg.length() > space + 1 && msg.charAt(space + 1) == c) {
        return msg.substring(0, space);
      }
      pos += 8 + size;
    }
    throw new AssertionError("no frame starting with " + c);
  }

  /** Hands out one byte per read, to put a read boundary at every position of the body. */
  static final class OneByteAtATime extends FilterInputStream {
    OneByteAtATime(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(1, len));
    }
  }
}
