package io.swarmscope.shipper.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmscope.common.docker.ContainerIdentity;
import io.swarmscope.shipper.docker.DockerTimestamps;
import io.swarmscope.shipper.parse.ParsedMessage;
import io.swarmscope.shipper.pipeline.DocumentIds;
import io.swarmscope.shipper.pipeline.LineTag;
import io.swarmscope.shipper.pipeline.LogRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * Serialises an event as an Elastic Common Schema document, the one shape every output sends
 * ({@code config/elasticsearch/index-template.json} maps it):
 * {@code @timestamp} (Docker's, nanoseconds), {@code message}, {@code stream},
 * {@code log.{level,level_original,format}}, {@code host.name}, {@code service.name},
 * {@code container.{id,name,image.name}}, {@code swarm.{stack,service,service_id,task,task_id,
 * node,node_id}}, {@code tags}, {@code swarmscope.lines}, {@code event.id} (the document id),
 * and the parsed fields under
 * {@code fields} (a flattened field: any JSON shape is stored without mapping conflicts).
 *
 * <p>The fallback shape, for a cluster whose mapping refuses the fields anyway, drops
 * {@code fields} and keeps the raw text in {@code event.original}, tagged {@code mapping_fallback}.
 *
 * <p>Not thread-safe (reuses a buffer): one per reading thread.
 */
public final class EcsDocument {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

  public byte[] serialise(ContainerIdentity c, String hostName, LogRecord r, ParsedMessage p) {
    return write(c, hostName, r, p, false);
  }

  public byte[] fallback(ContainerIdentity c, String hostName, LogRecord r, ParsedMessage p) {
    return write(c, hostName, r, p, true);
  }

  private byte[] write(ContainerIdentity c, String hostName, LogRecord r, ParsedMessage p,
      boolean fallback) {
    buffer.reset();
    try (JsonGenerator g = JSON.getFactory().createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("@timestamp", DockerTimestamps.format(r.first().timestampNanos()));
      g.writeStringField("message", fallback ? r.text() : p.message());
      g.writeStringField("stream", r.stream().wireName());
      g.writeObjectFieldStart("log");
      g.writeStringField("level", p.level().wireName());
      if (!p.originalLevel().isEmpty()) {
        g.writeStringField("level_original", p.originalLevel());
      }
      g.writeStringField("format", p.format());
      g.writeEndObject();
      g.writeObjectFieldStart("host");
      g.writeStringField("name", hostName);
      g.writeEndObject();
      g.writeObjectFieldStart("service");
      g.writeStringField("name", serviceName(c));
      g.writeEndObject();
      g.writeObjectFieldStart("container");
      g.writeStringField("id", c.id());
      g.writeStringField("name", c.name());
      g.writeObjectFieldStart("image");
      g.writeStringField("name", c.image());
      g.writeEndObject();
      g.writeEndObject();
      if (c.isSwarmTask() || !c.stack().isEmpty()) {
        g.writeObjectFieldStart("swarm");
        optional(g, "stack", c.stack());
        optional(g, "service", c.serviceName());
        optional(g, "service_id", c.label(ContainerIdentity.SERVICE_ID));
        optional(g, "task", c.taskName());
        optional(g, "task_id", c.label(ContainerIdentity.TASK_ID));
        g.writeStringField("node", hostName);
        optional(g, "node_id", c.nodeId());
        g.writeEndObject();
      }
      Set<LineTag> tags = r.tags();
      if (!tags.isEmpty() || fallback) {
        g.writeArrayFieldStart("tags");
        for (LineTag t : LineTag.values()) {
          if (tags.contains(t) || (fallback && t == LineTag.MAPPING_FALLBACK)) {
            g.writeString(t.wireName());
          }
        }
        g.writeEndArray();
      }
      g.writeObjectFieldStart("swarmscope");
      g.writeNumberField("lines", r.lines());
      g.writeEndObject();
      // event.id: the document id, so a consumer of the JSON lines (Logstash) can write with it
      // and replays stay duplicates, not copies.
      g.writeObjectFieldStart("event");
      g.writeStringField("id", DocumentIds.of(c.id(), r.first()));
      if (fallback) {
        g.writeStringField("original", r.text());
      }
      g.writeEndObject();
      if (!fallback && !p.fields().isEmpty()) {
        g.writeFieldName("fields");
        writeMap(g, p.fields());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void writeMap(JsonGenerator g, Map<String, Object> m) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      g.writeFieldName(e.getKey());
      g.writeObject(e.getValue());
    }
    g.writeEndObject();
  }

  /** The ECS service name: the Swarm service, else the container's name. */
  public static String serviceName(ContainerIdentity c) {
    return c.serviceName().isEmpty() ? c.name() : c.serviceName();
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      g.writeStringField(name, value);
    }
  }
}
