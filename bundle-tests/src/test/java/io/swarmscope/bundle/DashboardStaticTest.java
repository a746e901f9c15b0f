package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Grafana cannot run here, so the dashboards are checked statically: valid JSON with the schema
 * basics Grafana needs to import them, unique ids, every datasource chosen through a variable,
 * no reference to an undefined variable, and at most six graphs on the overview.
 */
class DashboardStaticTest {

  /** Grafana's own variables. */
  private static final Set<String> BUILT_IN = Set.of("__rate_interval", "__interval", "__interval_ms",
      "__range", "__range_s", "__range_ms", "__from", "__to", "__url_time_range", "__all_variables",
      "__dashboard", "__org", "__user", "__timeFilter", "__timezone", "__value", "__field",
      "__series", "__data", "__name", "__auto");
  /** $name, ${name}, ${name:format}, [[name]]; $1 in label_replace is not a variable. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_]\\w*)(?::[^}]*)?}|\\$([A-Za-z_]\\w*)|\\[\\[([A-Za-z_]\\w*)]]");

  @Test
  void thereAreTheFourDashboards() {
    Set<String> names = new TreeSet<>();
    Dashboards.files().forEach(p -> names.add(p.getFileName().toString()));
    assertEquals(new TreeSet<>(List.of("swarm-node.json", "swarm-overview.json", "swarm-pipeline.json",
        "swarm-service.json")), names);
  }

  @Test
  void schemaBasicsAndUniqueIds() {
    Set<String> uids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      JsonNode d = Bundle.json(file);
      String name = file.getFileName().toString();
      String uid = d.path("uid").asText("");
      if (uid.isEmpty() || uid.length() > 40 || !uids.add(uid)) {
        problems.add(name + ": uid missing, too long or duplicated: '" + uid + "'");
      }
      if (d.path("title").asText("").isBlank()) {
        problems.add(name + ": no title");
      }
      if (d.path("schemaVersion").asInt() < 36) {
        problems.add(name + ": schemaVersion below 36");
      }
      if (d.has("id") && !d.get("id").isNull()) {
        problems.add(name + ": a provisioned dashboard must not carry a database id");
      }
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : Dashboards.panels(d)) {
        String where = name + " panel '" + p.path("title").asText() + "'";
        if (!p.path("id").isInt() || !ids.add(p.get("id").asInt())) {
          problems.add(where + ": id missing or duplicated");
        }
        if (p.path("type").asText("").isEmpty() || p.path("title").asText("").isBlank()) {
          problems.add(where + ": no type or title");
        }
        JsonNode g = p.path("gridPos");
        if (!g.path("w").isInt() || !g.path("h").isInt() || g.path("x").asInt() + g.path("w").asInt() > 24) {
          problems.add(where + ": bad gridPos " + g);
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : p.path("targets")) {
          if (!refIds.add(t.path("refId").asText())) {
            problems.add(where + ": duplicate refId " + t.path("refId"));
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyDatasourceIsADatasourceVariable() {
    List<String> problems = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      JsonNode d = Bundle.json(file);
      Set<String> dsVars = new HashSet<>();
      Dashboards.variables(d).stream().filter(v -> v.path("type").asText().equals("datasource"))
          .forEach(v -> dsVars.add(v.get("name").asText()));
      List<JsonNode> refs = new ArrayList<>();
      for (JsonNode p : Dashboards.graphs(d)) {
        refs.add(p.path("datasource"));
        p.path("targets").forEach(t -> refs.add(t.path("datasource")));
      }
      Dashboards.variables(d).stream().filter(v -> v.path("type").asText().equals("query"))
          .forEach(v -> refs.add(v.path("datasource")));
      for (JsonNode a : d.path("annotations").path("list")) {
        if (a.path("builtIn").asInt() != 1) {
          refs.add(a.path("datasource"));
        }
      }
      for (JsonNode ds : refs) {
        if (ds.isMissingNode()) {
          continue; // a target without its own datasource uses the panel's
        }
        Matcher m = Pattern.compile("^\\$\\{?(\\w+)}?$").matcher(ds.path("uid").asText(""));
        if (!m.matches() || !dsVars.contains(m.group(1))) {
          problems.add(file.getFileName() + ": datasource " + ds + " is not one of the variables " + dsVars);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyVariableUsedIsDefined() {
    List<String> problems = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      JsonNode d = Bundle.json(file);
      Set<String> defined = new HashSet<>(BUILT_IN);
      Dashboards.variables(d).forEach(v -> defined.add(v.get("name").asText()));
      List<String> texts = new ArrayList<>();
      collectStrings(d, texts);
      for (String s : texts) {
        Matcher m = VARIABLE.matcher(s);
        while (m.find()) {
          String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
          if (!defined.contains(name)) {
            problems.add(file.getFileName() + ": $" + name + " used in \"" + s + "\" is not defined");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theOverviewHasAtMostSixGraphs() {
    JsonNode overview = Bundle.json(Bundle.file("dashboards/swarm-overview.json"));
    int graphs = Dashboards.graphs(overview).size();
    assertTrue(graphs > 0 && graphs <= 6, "the overview has " + graphs + " graphs");
    Set<String> vars = new HashSet<>();
    Dashboards.variables(overview).forEach(v -> vars.add(v.get("name").asText()));
    assertTrue(vars.containsAll(Set.of("stack", "service", "node")), "overview variables: " + vars);
  }

  @Test
  void theServiceViewHasLogsAnnotationsAndKibanaLinks() {
    JsonNode service = Bundle.json(Bundle.file("dashboards/swarm-service.json"));
    assertTrue(Dashboards.graphs(service).stream().anyMatch(p -> p.path("type").asText().equals("logs")));
    assertTrue(service.path("annotations").path("list").findValues("type").stream().count() >= 1);
    boolean errorAnnotation = false;
    for (JsonNode a : service.path("annotations").path("list")) {
      errorAnnotation |= a.path("datasource").path("type").asText().equals("elasticsearch")
          && a.path("query").asText().contains("log.level");
    }
    assertTrue(errorAnnotation, "no Elasticsearch error-log annotation");
    String links = service.path("links").toString();
    assertTrue(links.contains("/app/discover") && links.contains("__from") && links.contains("${service}"),
        "no Kibana link with the service and time range: " + links);
  }

  @Test
  void everyDashboardHasQueries() {
    for (Path file : Dashboards.files()) {
      assertFalse(Dashboards.promQueries(Bundle.json(file)).isEmpty(), file + " has no PromQL");
    }
  }

  private static void collectStrings(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    }
    node.forEach(child -> collectStrings(child, out));
  }
}
