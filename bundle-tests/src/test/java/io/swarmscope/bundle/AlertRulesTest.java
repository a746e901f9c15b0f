package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules: promtool accepts them and their unit tests pass; every alert carries what
 * an on-call engineer needs (for, severity, summary, description with labels, a runbook that
 * exists, a dashboard_url into a Grafana dashboard of dashboards/); and every alert has a promtool
 * test where it fires and one where it stays silent.
 */
class AlertRulesTest {

  private static final String RULES = "alerts/swarmscope.rules.yml";

  /** Grafana's base URL in annotations: Prometheus' external label, see config/prometheus/prometheus.yml. */
  private static final String GRAFANA_BASE = "{{ $externalLabels.grafana_url }}";

  private static final Pattern DASHBOARD_URL =
      Pattern.compile(Pattern.quote(GRAFANA_BASE) + "/d/([A-Za-z0-9_-]+)(?:/[A-Za-z0-9_-]+)?(?:\\?(.*))?");

  @Test
  void promtoolAcceptsTheRules() {
    Tools.require("promtool");
    String out = Tools.succeed(List.of("promtool", "check", "rules", RULES), 60);
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void promtoolUnitTestsPass() {
    Tools.require("promtool");
    List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
    List<Path> tests = Bundle.list("alerts/tests", ".test.yml");
    assertFalse(tests.isEmpty(), "no promtool tests under alerts/tests");
    tests.forEach(t -> command.add(Bundle.root().relativize(t).toString()));
    String out = Tools.succeed(command, 300);
    assertFalse(out.contains("FAILED"), out);
  }

  @Test
  void everyAlertHasForSeveritySummaryDescriptionAndRunbook() throws IOException {
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : Bundle.alertRules()) {
      String name = rule.get("alert").asText();
      if (!rule.hasNonNull("for")) {
        problems.add(name + ": no `for`");
      }
      String severity = rule.path("labels").path("severity").asText("");
      Set<String> allowed = name.equals("Watchdog") ? Set.of("none") : Set.of("critical", "warning");
      if (!allowed.contains(severity)) {
        problems.add(name + ": severity '" + severity + "' not in " + allowed);
      }
      JsonNode ann = rule.path("annotations");
      if (ann.path("summary").asText("").isBlank()) {
        problems.add(name + ": no summary");
      }
      String description = ann.path("description").asText("");
      if (description.isBlank() || (!name.equals("Watchdog") && !description.contains("$labels"))) {
        problems.add(name + ": description must name the alert's labels with {{ $labels.x }}");
      }
      String runbook = ann.path("runbook_url").asText("");
      if (!runbook.startsWith(Bundle.RUNBOOK_BASE + "docs/runbooks/")) {
        problems.add(name + ": runbook_url does not point into docs/runbooks/: " + runbook);
        continue;
      }
      Path file = Bundle.file(runbook.substring(Bundle.RUNBOOK_BASE.length()));
      if (!Files.isRegularFile(file)) {
        problems.add(name + ": runbook " + file + " is missing");
        continue;
      }
      String text = Files.readString(file);
      for (String section : List.of("## What it means", "## How to confirm", "## What to do")) {
        if (!text.contains(section)) {
          problems.add(name + ": runbook lacks '" + section + "'");
        }
      }
      if (!text.contains(name)) {
        problems.add(name + ": runbook does not name the alert");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyAlertLinksToAnExistingDashboard() {
    // uid -> the dashboard's template variable names
    Map<String, Set<String>> dashboards = new HashMap<>();
    for (Path file : Bundle.list("dashboards", ".json")) {
      JsonNode d = Bundle.json(file);
      Set<String> vars = new HashSet<>();
      d.path("templating").path("list").forEach(v -> vars.add(v.path("name").asText()));
      dashboards.put(d.path("uid").asText(), vars);
    }
    assertFalse(dashboards.isEmpty(), "no dashboards under dashboards/");
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : Bundle.alertRules()) {
      String name = rule.get("alert").asText();
      String url = rule.path("annotations").path("dashboard_url").asText("");
      if (url.isBlank()) {
        problems.add(name + ": no dashboard_url annotation");
        continue;
      }
      Matcher m = DASHBOARD_URL.matcher(url);
      if (!m.matches()) {
        problems.add(name + ": dashboard_url is not " + GRAFANA_BASE + "/d/<uid>/...: " + url);
        continue;
      }
      Set<String> vars = dashboards.get(m.group(1));
      if (vars == null) {
        problems.add(name + ": dashboard_url links to uid '" + m.group(1) + "', not a dashboard in dashboards/ " + dashboards.keySet());
        continue;
      }
      if (m.group(2) == null) {
        continue;
      }
      for (String param : m.group(2).split("&")) {
        String key = param.split("=", 2)[0];
        if (key.startsWith("var-") && !vars.contains(key.substring(4))) {
          problems.add(name + ": dashboard " + m.group(1) + " has no variable '" + key.substring(4) + "'");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyAlertIsTestedFiringAndSilent() {
    Set<String> fires = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (Path file : Bundle.list("alerts/tests", ".test.yml")) {
      for (JsonNode test : yamlOf(file).get("tests")) {
        for (JsonNode art : test.path("alert_rule_test")) {
          String alert = art.get("alertname").asText();
          (art.path("exp_alerts").isEmpty() ? silent : fires).add(alert);
        }
      }
    }
    Set<String> missing = new TreeSet<>();
    for (JsonNode rule : Bundle.alertRules()) {
      String name = rule.get("alert").asText();
      if (!fires.contains(name)) {
        missing.add(name + " (never tested firing)");
      }
      if (!silent.contains(name)) {
        missing.add(name + " (never tested silent)");
      }
    }
    assertEquals(Set.of(), missing);
  }

  private static JsonNode yamlOf(Path file) {
    return Bundle.yaml(Bundle.root().relativize(file).toString());
  }
}
