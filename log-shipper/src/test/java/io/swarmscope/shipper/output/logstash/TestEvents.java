package io.swarmscope.shipper.output.logstash;

import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.parse.LogLevel;
import io.swarmscope.shipper.parse.ParsedMessage;
import io.swarmscope.shipper.pipeline.LogEvent;
import io.swarmscope.shipper.pipeline.LogPosition;
import io.swarmscope.shipper.pipeline.LogRecord;
import io.swarmscope.shipper.pipeline.LogStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Synthetic events, built as the pipeline builds them (ECS document included). */
public final class TestEvents {

  public static final String ID = "3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
  /** 2026-12-01T18:49:35.105189965Z */
  public static final long TS = 1796150975_105189965L;

  private TestEvents() {}

  /** Swarm labels of task {@code shop_api.1.x7k} of service {@code shop_api} in stack {@code shop}. */
  public static Map<String, String> swarmLabels() {
    Map<String, String> l = new HashMap<>();
    l.put(ContainerIdentity.STACK_NAMESPACE, "shop");
    l.put(ContainerIdentity.SERVICE_NAME, "shop_api");
    l.put(ContainerIdentity.SERVICE_ID, "svc1");
    l.put(ContainerIdentity.TASK_NAME, "shop_api.1.x7k");
    l.put(ContainerIdentity.TASK_ID, "task1");
    l.put(ContainerIdentity.NODE_ID, "node1abc");
    return l;
  }

  public static ContainerIdentity swarmContainer() {
    return new ContainerIdentity(ID, "/shop_api.1.x7k", "registry.example/shop/api:1.4", swarmLabels());
  }

  public static ContainerIdentity plainContainer(String id, String name) {
    return new ContainerIdentity(id, "/" + name, "local/busybox:1", Map.of());
  }

  public static LogEvent event(ContainerIdentity c, String host, long tsNanos, int ordinal,
      LogStream stream, String text, LogLevel level) {
    LogPosition pos = new LogPosition(tsNanos, ordinal);
    int lines = (int) text.chars().filter(ch -> ch == '\n').count() + 1;
    LogRecord r = new LogRecord(pos, pos, stream, text, lines,
        text.getBytes(StandardCharsets.UTF_8).length + lines, Set.of());
    ParsedMessage p = new ParsedMessage(text, level, "", "text", Map.of());
    byte[] doc = new EcsDocument().serialise(c, host, r, p);
    return new LogEvent(c.id() + "-" + tsNanos + "-" + ordinal, c, host, r, p, doc);
  }

  /** The {@code i}-th numbered event of a plain container, 1 µs apart. */
  public static LogEvent numbered(ContainerIdentity c, String host, int i, String prefix) {
    return event(c, host, TS + i * 1_000L, 0, LogStream.STDOUT, prefix + " " + i, LogLevel.INFO);
  }

  public static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
