package io.swarmscope.shipper.output.logstash;

import io.netty.buffer.ByteBuf;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.nio.charset.StandardCharsets;

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
 *
 * <p>Not thread-safe (reuses a buffer): one per sender.
 */
public final class Rfc5424Encoder implements EventEncoder {

  /** The SD-ID of the event's Swarm identity. */
  public static final String SD_ID = "swarm@32473";
  private static final byte[] SD_OPEN = (" [" + SD_ID).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int facility;
  private final boolean escapeNewlines;
  private final boolean bom;
  private final HeaderBuilder header = new HeaderBuilder();

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
  public void encodeTo(LogEvent e, ByteBuf out) {
    ContainerIdentity c = e.container();
    HeaderBuilder h = header.reset();
    h.put('<').decimal(SyslogFields.pri(facility, e.parsed().level())).put('>').put('1').put(' ');
    timestamp(h, e.record().first().timestampNanos());
    h.put(' ').printable(e.hostName(), 255);
    h.put(' ').printable(EcsDocument.serviceName(c), 48);
    h.put(' ').printable(c.shortId(), 128);
    h.put(' ').printable(e.record().stream().wireName(), 32);
    h.put(SD_OPEN);
    param(h, "stack", c.stack());
    param(h, "service", c.serviceName());
    param(h, "task", c.taskName());
    param(h, "node_id", c.nodeId());
    param(h, "container", c.name());
    param(h, "image", c.image());
    param(h, "level", e.parsed().level().wireName());
    h.put(']');
    String text = e.record().text();
    if (!text.isEmpty() || bom) {
      h.put(' ');
      if (bom) {
        h.put(BOM);
      }
    }
    h.writeTo(out);
    if (!text.isEmpty()) {
      out.writeBytes(SyslogFields.message(text, escapeNewlines));
    }
  }

  /** {@code 2026-12-01T18:49:35.105189Z}: UTC, six fraction digits (cut, not rounded). */
  static void timestamp(HeaderBuilder h, long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    int micros = (int) (Math.floorMod(epochNanos, 1_000_000_000L) / 1000);
    long date = SyslogFields.civil(Math.floorDiv(seconds, 86_400));
    int secOfDay = (int) Math.floorMod(seconds, 86_400);
    int year = (int) (date / 10_000);
    h.two(year / 100 % 100).two(year % 100).put('-').two((int) (date / 100 % 100)).put('-')
        .two((int) (date % 100)).put('T').two(secOfDay / 3600).put(':').two(secOfDay / 60 % 60)
        .put(':').two(secOfDay % 60).put('.').two(micros / 10_000).two(micros / 100 % 100)
        .two(micros % 100).put('Z');
  }

  /** {@code SP name="value"} with the value escaped, or nothing when the value is empty. */
  private static void param(HeaderBuilder h, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    h.put(' ').ascii(name).put('=').put('"').paramValue(value).put('"');
  }
}
