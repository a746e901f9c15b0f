package io.swarmscope.shipper.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The documents of an index pattern, read back for assertions (sorted by @timestamp). */
public final class Documents {

  private Documents() {}

  /** The count, or -1 while the index does not answer yet (its shard is starting: 503). */
  public static long count(ElasticsearchNode es, String indices) {
    try {
      return es.count(indices);
    } catch (RuntimeException | AssertionError e) {
      return -1;
    }
  }

  /** As {@link #count(ElasticsearchNode, String)}, for documents matching a query string. */
  public static long count(ElasticsearchNode es, String indices, String query) {
    try {
      return es.count(indices, query);
    } catch (RuntimeException | AssertionError e) {
      return -1;
    }
  }

  /** Every document, sorted by @timestamp, read with a scroll (more than 10k documents too). */
  public static List<JsonNode> all(ElasticsearchNode es, String indices) {
    es.refresh(indices);
    JsonNode r = es.request("POST", "/" + indices + "/_search?scroll=1m",
        "{\"size\": 5000, \"sort\": [{\"@timestamp\": \"asc\"}], \"query\": {\"match_all\": {}}}")
        .requireOk().json();
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      JsonNode hits = r.path("hits").path("hits");
      if (hits.isEmpty()) {
        break;
      }
      hits.forEach(out::add);
      String scroll = r.path("_scroll_id").asText();
      r = es.request("POST", "/_search/scroll",
          "{\"scroll\": \"1m\", \"scroll_id\": \"" + scroll + "\"}").requireOk().json();
    }
    return out;
  }

  public static List<String> messages(ElasticsearchNode es, String indices) {
    List<String> out = new ArrayList<>();
    for (JsonNode hit : all(es, indices)) {
      out.add(hit.path("_source").path("message").asText());
    }
    return out;
  }
}
