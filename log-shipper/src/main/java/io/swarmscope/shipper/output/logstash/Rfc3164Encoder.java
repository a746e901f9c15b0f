package io.swarmscope.shipper.output.logstash;

import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

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
 */
public final class Rfc3164Encoder implements EventEncoder {

  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
      "Sep", "Oct", "Nov", "Dec"};

  private final int facility;
  private final boolean escapeNewlines;

  public Rfc3164Encoder(int facility, boolean escapeNewlines) {
    this.facility = facility;
    this.escapeNewlines = escapeNewlines;
  }

  @Override
  public byte[] encode(LogEvent e) {
    String text = e.record().text();
    StringBuilder sb = new StringBuilder(96 + text.length());
    sb.append('<').append(SyslogFields.pri(facility, e.parsed().level())).append('>');
    timestamp(sb, e.record().first().timestampNanos());
    sb.append(' ').append(SyslogFields.printable(e.hostName(), 255));
    sb.append(' ').append(SyslogFields.tag(EcsDocument.serviceName(e.container()), 32));
    sb.append('[').append(SyslogFields.printable(e.container().shortId(), 128)).append("]: ");
    if (escapeNewlines) {
      SyslogFields.appendEscapingNewlines(sb, text);
    } else {
      sb.append(text);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code Dec  1 18:49:35} in UTC. */
  static void timestamp(StringBuilder sb, long epochNanos) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), 0,
        ZoneOffset.UTC);
    sb.append(MONTHS[t.getMonthValue() - 1]).append(' ');
    int day = t.getDayOfMonth();
    sb.append(day < 10 ? ' ' : (char) ('0' + day / 10)).append((char) ('0' + day % 10));
    sb.append(' ');
    SyslogFields.twoDigits(sb, t.getHour());
    sb.append(':');
    SyslogFields.twoDigits(sb, t.getMinute());
    sb.append(':');
    SyslogFields.twoDigits(sb, t.getSecond());
  }
}
