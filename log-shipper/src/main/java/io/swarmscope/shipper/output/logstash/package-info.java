/**
 * The {@code logstash} output: JSON lines (what the bundle's Logstash pipeline reads on tcp/5000)
 * or syslog (RFC 5424, RFC 3164) over TCP, TLS or UDP, through Netty.
 *
 * <ul>
 *   <li>{@link io.swarmscope.shipper.output.logstash.LogstashSettings} — the
 *       {@code SWARMSCOPE_LOGSTASH_*} settings;</li>
 *   <li>{@link io.swarmscope.shipper.output.logstash.Rfc5424Encoder},
 *       {@link io.swarmscope.shipper.output.logstash.Rfc3164Encoder},
 *       {@link io.swarmscope.shipper.output.logstash.JsonLinesEncoder} — an event as one message
 *       (pure functions);</li>
 *   <li>{@link io.swarmscope.shipper.output.logstash.Framing} — RFC 6587 octet counting or
 *       newline framing on a stream;</li>
 *   <li>{@link io.swarmscope.shipper.output.logstash.LogstashOutput} — the queued output, with a
 *       TCP/TLS sender (reconnects with backoff, re-sends what a broken connection may have lost)
 *       or a UDP sender (fire and forget).</li>
 * </ul>
 */
package io.swarmscope.shipper.output.logstash;
