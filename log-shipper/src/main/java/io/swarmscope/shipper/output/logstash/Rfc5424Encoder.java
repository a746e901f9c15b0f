package io.swarmscope.shipper.output.logstash;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An event as an RFC 5424 syslog message:
 *
 * <pre>{@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [swarm@32473 stack="..." service="..."
 * task="..." node_id="..." container="..." image="..." level="..."] MSG}</pre>
 *
 * <ul>
 *   <li>PRI: facility x 8 + the severity of the normalised level ({@link SyslogFields#severity});</li>
 *   <li>TIMESTAMP: Docker's timestamp of the event's first line, UTC, with microseconds (RFC 5424
 *       allows six fraction digits; the nanoseconds beyond are cut, not rounded);</li>
 *   <li>HOSTNAME: the node's hostname (from the engine, not the container's);</li>
 *   <li>APP-NAME: the Swarm service name, else the container name ({@link EcsDocument#serviceName}),
 *       as printable US-ASCII without spaces ('_' for anything else), at most 48 characters;</li>
 *   <li>PROCID: the container's short id (12 hex digits); MSGID: the stream ({@code stdout},
 *       {@code stderr}, {@code tty});</li>
 *   <li>structured data {@code swarm@32473} (32473 is the private enterprise number RFC 5612
 *       reserves for documentation; the SD-ID is only a namespace): the parameters that are not
 *       empty, values escaped as §6.3.3 says ({@code "}, {@code \} and {@code ]} get a backslash;
 *       control characters become spaces);</li>
 *   <li>MSG: the line as the container wrote it (after byte decoding; a grouped stack trace has its
 *       lines joined with '\n'), UTF-8, without a BOM unless asked ({@code bom}); with newline
 *       framing each '\n' becomes the two characters {@code \n} (and '\r' {@code \r}).</li>
 * </ul>
 */
public final class Rfc5424Encoder implements EventEncoder {

  /** The SD-ID of the event's Swarm identity. */
  public static final String SD_ID = "swarm@32473";
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int facility;
  private final boolean escapeNewlines;
  private final boolean bom;

  /**
   * @param facility the syslog facility (0-23)
   * @param escapeNewlines whether line feeds in MSG are escaped (newline framing)
   * @param bom whether MSG starts with a UTF-8 byte order mark (RFC 5424's MSG-UTF8 form)
   */
  public Rfc5424Encoder(int facility, boolean escapeNewlines, boolean bom) {
    this.facility = facility;
    this.escapeNewlines = escapeNewlines;
    this.bom = bom;
  }

  @Override
  public byte[] encode(LogEvent e) {
    ContainerIdentity c = e.container();
    StringBuilder sb = new StringBuilder(256 + e.record().text().length());
    sb.append('<').append(SyslogFields.pri(facility, e.parsed().level())).append(">1 ");
    timestamp(sb, e.record().first().timestampNanos());
    sb.append(' ').append(SyslogFields.printable(e.hostName(), 255));
    sb.append(' ').append(SyslogFields.printable(EcsDocument.serviceName(c), 48));
    sb.append(' ').append(SyslogFields.printable(c.shortId(), 128));
    sb.append(' ').append(SyslogFields.printable(e.record().stream().wireName(), 32));
    sb.append(" [").append(SD_ID);
    param(sb, "stack", c.stack());
    param(sb, "service", c.serviceName());
    param(sb, "task", c.taskName());
    param(sb, "node_id", c.nodeId());
    param(sb, "container", c.name());
    param(sb, "image", c.image());
    param(sb, "level", e.parsed().level().wireName());
    sb.append(']');
    String text = e.record().text();
    if (text.isEmpty() && !bom) {
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
    sb.append(' ');
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] msg;
    if (escapeNewlines && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)) {
      StringBuilder m = new StringBuilder(text.length() + 16);
      SyslogFields.appendEscapingNewlines(m, text);
      msg = m.toString().getBytes(StandardCharsets.UTF_8);
    } else {
      msg = text.getBytes(StandardCharsets.UTF_8);
    }
    int b = bom ? BOM.length : 0;
    byte[] out = new byte[head.length + b + msg.length];
    System.arraycopy(head, 0, out, 0, head.length);
    if (bom) {
      System.arraycopy(BOM, 0, out, head.length, b);
    }
    System.arraycopy(msg, 0, out, head.length + b, msg.length);
    return out;
  }

  /** {@code 2026-12-01T18:49:35.105189Z}: UTC, six fraction digits. */
  static void timestamp(StringBuilder sb, long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    int micros = (int) (Math.floorMod(epochNanos, 1_000_000_000L) / 1000);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    int year = t.getYear();
    sb.append((char) ('0' + year / 1000 % 10)).append((char) ('0' + year / 100 % 10));
    SyslogFields.twoDigits(sb, year % 100);
    sb.append('-');
    SyslogFields.twoDigits(sb, t.getMonthValue());
    sb.append('-');
    SyslogFields.twoDigits(sb, t.getDayOfMonth());
    sb.append('T');
    SyslogFields.twoDigits(sb, t.getHour());
    sb.append(':');
    SyslogFields.twoDigits(sb, t.getMinute());
    sb.append(':');
    SyslogFields.twoDigits(sb, t.getSecond());
    sb.append('.');
    String m = Integer.toString(micros);
    for (int i = m.length(); i < 6; i++) {
      sb.append('0');
    }
    sb.append(m).append('Z');
  }

  /** {@code SP name="value"} with the value escaped, or nothing when the value is empty. */
  private static void param(StringBuilder sb, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    sb.append(' ').append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '"' || ch == '\\' || ch == ']') {
        sb.append('\\').append(ch);
      } else if (ch < 0x20 || ch == 0x7F) {
        sb.append(' ');
      } else {
        sb.append(ch);
      }
    }
    sb.append('"');
  }
}
