package io.swarmscope.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboards under dashboards/ and the pieces of them the tests look at. */
final class Dashboards {

  private Dashboards() {}

  static List<Path> files() {
    return Bundle.list("dashboards", ".json");
  }

  /** Every panel, including those nested in collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  /** Panels that draw data: everything but rows and text. */
  static List<JsonNode> graphs(JsonNode dashboard) {
    return panels(dashboard).stream()
        .filter(p -> !List.of("row", "text").contains(p.path("type").asText())).toList();
  }

  static List<JsonNode> variables(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(out::add);
    return out;
  }

  /** PromQL of every panel target whose datasource is a Prometheus one. */
  static List<String> promQueries(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : graphs(dashboard)) {
      for (JsonNode t : p.path("targets")) {
        JsonNode ds = t.has("datasource") ? t.get("datasource") : p.path("datasource");
        if (ds.path("type").asText().equals("prometheus") && t.hasNonNull("expr")) {
          out.add(t.get("expr").asText());
        }
      }
    }
    return out;
  }
}
