package io.swarmscope.shipper.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexSetupTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void templateResourceIsTheBundlesTemplate() throws Exception {
    JsonNode t = JSON.readTree(IndexSetup.templateJson(false));
    assertEquals("swarmscope-logs-*", t.path("index_patterns").path(0).asText());
    assertFalse(t.has("data_stream"), "plain daily indices: a data stream would take a retry after a rollover into a new backing index");
    JsonNode props = t.path("template").path("mappings").path("properties");
    assertEquals("date_nanos", props.path("@timestamp").path("type").asText());
    assertEquals("flattened", props.path("fields").path("type").asText());
    assertEquals("keyword", props.path("host").path("properties").path("name").path("type").asText());
    assertEquals("integer",
        props.path("swarmscope").path("properties").path("lines").path("type").asText());
    assertFalse(t.path("template").path("settings").has(IndexSetup.LIFECYCLE_SETTING));
    assertFalse(t.path("template").path("settings").has(IndexSetup.ORIGINATION_SETTING));
  }

  @Test
  void lifecycleSettingOnlyWhenAsked() throws Exception {
    JsonNode with = JSON.readTree(IndexSetup.templateJson(true));
    assertEquals(IndexSetup.POLICY_NAME,
        with.path("template").path("settings").path(IndexSetup.LIFECYCLE_SETTING).asText());
    assertTrue(with.path("template").path("settings").path(IndexSetup.ORIGINATION_SETTING).asBoolean(),
        "retention counts from the day in the index name");
    assertEquals("0", with.path("template").path("settings").path("number_of_replicas").asText());
  }

  @Test
  void policyNeverRollsOverAndDeletesAfterRetention() throws Exception {
    JsonNode p = JSON.readTree(IndexSetup.policyJson(Duration.ofDays(30))).path("policy");
    assertFalse(p.toString().contains("rollover"), p.toString());
    assertEquals(1, p.path("phases").size(), p.toString());
    assertEquals("30d", p.path("phases").path("delete").path("min_age").asText());
    assertTrue(p.path("phases").path("delete").path("actions").has("delete"));
  }

  @Test
  void durationsInTheLargestExactUnit() {
    assertEquals("14d", IndexSetup.esDuration(Duration.ofDays(14)));
    assertEquals("36h", IndexSetup.esDuration(Duration.ofHours(36)));
    assertEquals("90m", IndexSetup.esDuration(Duration.ofMinutes(90)));
    assertEquals("45s", IndexSetup.esDuration(Duration.ofSeconds(45)));
  }

  @Test
  void retentionMustBePositiveWholeSeconds() throws Exception {
    try (ElasticsearchClient c = ElasticsearchClients.create(URI.create("http://127.0.0.1:1"))) {
      assertThrows(IllegalArgumentException.class, () -> new IndexSetup(c, Duration.ZERO));
      assertThrows(IllegalArgumentException.class, () -> new IndexSetup(c, Duration.ofMillis(1500)));
      new IndexSetup(c, Duration.ofHours(12));
    }
    assertThrows(NullPointerException.class, () -> new IndexSetup(null, Duration.ofDays(1)));
  }
}
