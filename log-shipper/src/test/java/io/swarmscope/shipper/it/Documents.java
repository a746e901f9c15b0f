package io.swarmscope.shipper.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The documents of a data stream, read back for assertions (sorted by @timestamp). */
public final class Documents {

  private Documents() {}

  public static List<JsonNode> all(ElasticsearchNode es, String dataStream) {
    JsonNode r = es.search(dataStream, "{\"size\": 10000, \"sort\": [{\"@timestamp\": \"asc\"}],"
        + " \"query\": {\"match_all\": {}}}");
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode hit : r.path("hits").path("hits")) {
      out.add(hit);
    }
    return out;
  }

  public static List<String> messages(ElasticsearchNode es, String dataStream) {
    List<String> out = new ArrayList<>();
    for (JsonNode hit : all(es, dataStream)) {
      out.add(hit.path("_source").path("message").asText());
    }
    return out;
  }
}
