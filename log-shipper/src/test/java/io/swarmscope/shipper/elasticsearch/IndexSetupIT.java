package io.swarmscope.shipper.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.swarmscope.shipper.elasticsearch.IndexSetup.SetupReport;
import io.swarmscope.shipper.it.ElasticsearchNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link IndexSetup} against a real (minimal) Elasticsearch 9 node. */
class IndexSetupIT {

  /** An index of its own (of the document's day), so other tests' counts are not touched. */
  private static final String INDEX = "swarmscope-logs-indexsetupit-2026.11.23";

  private static ElasticsearchNode node;
  private static ElasticsearchClient client;

  @BeforeAll
  static void node() {
    node = ElasticsearchNode.shared();
    client = node.client();
  }

  @Test
  void installsTheTemplateAndReportsTheMissingIlm() throws Exception {
    SetupReport report = new IndexSetup(client).run();

    assertTrue(report.templateInstalled(), report.notes().toString());
    assertFalse(report.lifecyclePolicyInstalled(), report.notes().toString());
    assertTrue(report.notes().stream().anyMatch(n -> n.contains("this cluster has no ILM")),
        report.notes().toString());
    assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("Elasticsearch 9.")),
        "cluster version found despite GET / answering 405: " + report.notes());

    JsonNode templates = node.getJson("/_index_template/" + IndexSetup.TEMPLATE_NAME)
        .path("index_templates");
    assertEquals(1, templates.size(), templates.toString());
    JsonNode t = templates.path(0).path("index_template");
    assertEquals("swarmscope-logs-*", t.path("index_patterns").path(0).asText());
    assertFalse(t.has("data_stream"), t.toString());
    JsonNode settings = t.path("template").path("settings");
    assertFalse(settings.toString().contains("lifecycle"), settings.toString());
    JsonNode props = t.path("template").path("mappings").path("properties");
    JsonNode original = props.path("event").path("properties").path("original");
    assertEquals("keyword", original.path("type").asText());
    assertFalse(original.path("index").asBoolean(true));
    assertEquals("long",
        props.path("swarmscope").path("properties").path("truncated_bytes").path("type").asText());
  }

  @Test
  void runningTwiceIsHarmless() throws Exception {
    SetupReport first = new IndexSetup(client).run();
    SetupReport second = new IndexSetup(client).run();
    assertTrue(first.templateInstalled() && second.templateInstalled(), second.notes().toString());
    assertEquals(first.lifecyclePolicyInstalled(), second.lifecyclePolicyInstalled());
    assertEquals(first.notes(), second.notes());
    assertEquals(1, node.getJson("/_index_template/" + IndexSetup.TEMPLATE_NAME)
        .path("index_templates").size());
  }

  @Test
  void firstWriteCreatesADailyIndexWithTheTemplatesMappings() throws Exception {
    new IndexSetup(client).run();
    Map<String, Object> doc = Map.of(
        "@timestamp", "2026-11-23T10:15:30.123456789Z",
        "message", "user 42 logged in",
        "log", Map.of("level", "info", "level_original", "INFO", "format", "logfmt"),
        "event", Map.of("original", "level=INFO msg=\"user 42 logged in\" user.id=42"),
        "fields", Map.of("user", Map.of("id", "42")),
        "swarmscope", Map.of("lines", 1));
    BulkResponse bulk = client.bulk(b -> b.operations(op -> op.create(
        c -> c.index(INDEX).id("indexsetupit-1").document(doc))));
    assertFalse(bulk.errors(), bulk.toString());

    JsonNode mappings = node.getJson("/" + INDEX + "/_mapping");
    List<String> indices = new ArrayList<>();
    mappings.fieldNames().forEachRemaining(indices::add);
    assertEquals(List.of(INDEX), indices, "a plain index, no data stream's backing index");
    JsonNode m = mappings.path(indices.get(0)).path("mappings");
    assertEquals("false", m.path("dynamic").asText());
    JsonNode props = m.path("properties");
    assertEquals("date_nanos", props.path("@timestamp").path("type").asText());
    assertEquals("flattened", props.path("fields").path("type").asText());
    assertEquals("keyword",
        props.path("log").path("properties").path("format").path("type").asText());

    JsonNode resolved = node.getJson("/_resolve/index/" + INDEX);
    assertEquals(0, resolved.path("data_streams").size(), resolved.toString());
    assertEquals(INDEX, resolved.path("indices").path(0).path("name").asText(), resolved.toString());

    assertEquals(1, node.count(INDEX));
    assertEquals(1, node.count(INDEX, "fields.user.id:42"));
    assertEquals(1, node.count(INDEX, "log.format:logfmt"));
    JsonNode hit = node.search(INDEX, "{\"query\":{\"ids\":{\"values\":[\"indexsetupit-1\"]}}}")
        .path("hits").path("hits").path(0);
    assertEquals("2026-11-23T10:15:30.123456789Z", hit.path("_source").path("@timestamp").asText());
  }
}
