package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The KQL forms the Kibana saved searches and the dashboards' Kibana link use. */
class KqlTest {

  @Test
  void emptyIsMatchAll() {
    assertEquals("{\"match_all\":{}}", Kql.toDsl(" ").toString());
  }

  @Test
  void valuesInParenthesesShareTheField() {
    assertEquals("{\"bool\":{\"should\":[{\"match\":{\"log.level\":\"error\"}},{\"match\":{\"log.level\":\"fatal\"}}],"
        + "\"minimum_should_match\":1}}", Kql.toDsl("log.level:(error or fatal)").toString());
  }

  @Test
  void wildcardsQuotesAndBooleans() {
    assertEquals("{\"bool\":{\"should\":[{\"wildcard\":{\"swarm.service\":{\"value\":\"*log-shipper\"}}},"
        + "{\"wildcard\":{\"swarm.service\":{\"value\":\"*logstash\"}}}],\"minimum_should_match\":1}}",
        Kql.toDsl("swarm.service:*log-shipper or swarm.service:*logstash").toString());
    assertEquals("{\"bool\":{\"filter\":[{\"match_phrase\":{\"swarm.service\":\"shop_api\"}},"
        + "{\"bool\":{\"must_not\":[{\"match\":{\"log.level\":\"info\"}}]}}]}}",
        Kql.toDsl("swarm.service:\"shop_api\" and not log.level:info").toString());
  }

  @Test
  void refusesWhatItDoesNotKnow() {
    assertThrows(IllegalArgumentException.class, () -> Kql.toDsl("just words"));
    assertThrows(IllegalArgumentException.class, () -> Kql.toDsl("a:(b or c"));
  }
}
