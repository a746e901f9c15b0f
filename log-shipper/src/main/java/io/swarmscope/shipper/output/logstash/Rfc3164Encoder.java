package io.swarmscope.shipper.output.logstash;

import io.netty.buffer.ByteBuf;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.nio.charset.StandardCharsets;

/**
 * An event as a BSD syslog message (RFC 3164), for receivers that only read the old format:
 *
 * <pre>{@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG}</pre>
 *
 * <ul>
 *   <li>PRI as in {@link Rfc5424Encoder};</li>
 *   <li>the timestamp is Docker's, in <b>UTC</b> (RFC 3164 has no zone and no year; receivers
 *       read it in their own zone), English month, the day padded with a space
 *       ({@code Dec  1}), whole seconds;</li>
 *   <li>HOSTNAME the node's hostname (printable ASCII, '_' for anything else);</li>
 *   <li>TAG the service name (else the container name), letters, digits, '_', '-' and '.'
 *       ('_' for anything else), at most 32 characters; PID the container's short id;</li>
 *   <li>MSG the line as written, UTF-8; with newline framing line feeds are escaped as
 *       {@code \n}.</li>
 * </ul>
 *
 * <p>Not thread-safe (reuses a buffer): one per sender.
 */
public final class Rfc3164Encoder implements EventEncoder {

  private static final byte[][] MONTHS = new byte[12][];

  static {
    String[] names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
        "Dec"};
    for (int i = 0; i < 12; i++) {
      MONTHS[i] = names[i].getBytes(StandardCharsets.US_ASCII);
    }
  }

  private final int facility;
  private final boolean escapeNewlines;
  private final HeaderBuilder header = new HeaderBuilder();

  public Rfc3164Encoder(int facility, boolean escapeNewlines) {
    this.facility = facility;
    this.escapeNewlines = escapeNewlines;
  }

  @Override
  public void encodeTo(LogEvent e, ByteBuf out) {
    HeaderBuilder h = header.reset();
    h.put('<').decimal(SyslogFields.pri(facility, e.parsed().level())).put('>');
    timestamp(h, e.record().first().timestampNanos());
    h.put(' ').printable(e.hostName(), 255);
    h.put(' ').tag(EcsDocument.serviceName(e.container()), 32);
    h.put('[').printable(e.container().shortId(), 128).put(']').put(':').put(' ');
    h.writeTo(out);
    out.writeBytes(SyslogFields.message(e.record().text(), escapeNewlines));
  }

  /** {@code Dec  1 18:49:35} in UTC. */
  static void timestamp(HeaderBuilder h, long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long date = SyslogFields.civil(Math.floorDiv(seconds, 86_400));
    int secOfDay = (int) Math.floorMod(seconds, 86_400);
    int day = (int) (date % 100);
    h.put(MONTHS[(int) (date / 100 % 100) - 1]).put(' ')
        .put(day < 10 ? ' ' : (char) ('0' + day / 10)).put((char) ('0' + day % 10)).put(' ')
        .two(secOfDay / 3600).put(':').two(secOfDay / 60 % 60).put(':').two(secOfDay % 60);
  }
}
