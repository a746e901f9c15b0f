package io.swarmscope.shipper.output.logstash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.shipper.ShipperConfig;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Protocol;
import io.swarmscope.shipper.output.logstash.LogstashSettings.Transport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogstashSettingsTest {

  private static LogstashSettings of(String... args) {
    return LogstashSettings.from(ShipperConfig.parse(args, Map.of()));
  }

  @Test
  void defaultsMatchTheBundlePipeline() {
    LogstashSettings s = of();
    assertEquals("127.0.0.1", s.host());
    assertEquals(5000, s.port());
    assertEquals(Protocol.JSON, s.protocol());
    assertEquals(Transport.TCP, s.transport());
    assertEquals(Framing.NEWLINE, s.framing());
    assertInstanceOf(JsonLinesEncoder.class, s.encoder());
    assertEquals(16, s.facility());
    assertTrue(s.verifyHostname());
    assertEquals(1 << 20, s.resendBytes());
  }

  @Test
  void environmentAsTheStackSetsIt() {
    LogstashSettings s = LogstashSettings.from(ShipperConfig.parse(new String[0],
        Map.of("SWARMSCOPE_LOGSTASH_ADDRESS", "logstash:5000")));
    assertEquals("logstash", s.host());
    assertEquals("logstash:5000", s.address());
  }

  @Test
  void syslogDefaultsToOctetCountingAndPerProtocolDatagramLimits() {
    LogstashSettings s = of("--logstash.protocol=syslog5424", "--logstash.address=syslog.example:6514",
        "--logstash.transport=tls", "--logstash.facility=daemon");
    assertEquals(Framing.OCTET_COUNTING, s.framing());
    assertEquals(Transport.TLS, s.transport());
    assertEquals(3, s.facility());
    assertEquals(8192, s.udpMaxBytes());
    assertInstanceOf(Rfc5424Encoder.class, s.encoder());
    assertEquals(1024, of("--logstash.protocol=syslog3164", "--logstash.transport=udp").udpMaxBytes());
    assertEquals(65_507, of("--logstash.transport=udp").udpMaxBytes());
    assertEquals(2048, of("--logstash.protocol=syslog3164", "--logstash.udp.max.bytes=2k").udpMaxBytes());
    assertEquals(Framing.NEWLINE, of("--logstash.protocol=syslog3164", "--logstash.framing=newline").framing());
  }

  @Test
  void ipv6AddressInBrackets() {
    LogstashSettings s = of("--logstash.address=[::1]:5140");
    assertEquals("::1", s.host());
    assertEquals(5140, s.port());
    assertEquals("[::1]:5140", s.address());
  }

  @Test
  void facilitiesByNameOrNumber() {
    assertEquals(23, SyslogFields.facility("LOCAL7"));
    assertEquals(1, SyslogFields.facility("user"));
    assertEquals(4, SyslogFields.facility("4"));
    assertThrows(IllegalArgumentException.class, () -> SyslogFields.facility("24"));
    assertThrows(IllegalArgumentException.class, () -> SyslogFields.facility("locale0"));
  }

  @Test
  void misconfigurationsAreRefusedAtStart() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> of("--logstash.framing=octet")).getMessage();
    assertTrue(m.contains("json_lines"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> of("--logstash.ca.file=/etc/ssl/ca.pem")).getMessage();
    assertTrue(m.contains("set it to tls"), m);
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.transport=tls",
        "--logstash.cert.file=/c.pem"));
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.address=logstash"));
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.address=logstash:http"));
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.address=h:70000"));
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.protocol=gelf"));
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.transport=quic"));
    assertThrows(IllegalArgumentException.class, () -> of("--logstash.udp.max.bytes=100"));
  }

  @Test
  void tlsFilesMustBeReadable() {
    LogstashSettings s = of("--logstash.transport=tls", "--logstash.ca.file=/nonexistent/ca.pem");
    assertEquals(Path.of("/nonexistent/ca.pem"), s.caFile().orElseThrow());
    String m = assertThrows(java.io.IOException.class, () -> LogstashOutput.sslContext(s)).getMessage();
    assertTrue(m.contains("SWARMSCOPE_LOGSTASH_CA_FILE"), m);
  }

  @Test
  void newlineEscapingOnlyWhereNewlineFramingApplies() {
    LogstashSettings tcpNewline = of("--logstash.protocol=syslog3164", "--logstash.framing=newline");
    LogstashSettings udp = of("--logstash.protocol=syslog3164", "--logstash.transport=udp",
        "--logstash.framing=newline");
    var e = TestEvents.event(TestEvents.swarmContainer(), "h", TestEvents.TS, 0,
        io.swarmscope.shipper.pipeline.LogStream.STDOUT, "a\nb", io.swarmscope.shipper.parse.LogLevel.INFO);
    assertTrue(TestEvents.utf8(tcpNewline.encoder().encode(e)).endsWith("a\\nb"));
    assertTrue(TestEvents.utf8(udp.encoder().encode(e)).endsWith("a\nb"));
    assertFalse(TestEvents.utf8(udp.encoder().encode(e)).contains("\\n"));
  }
}
