package io.swarmscope.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundle's files as the tests see them: the repository root (system property
 * {@code bundle.root}, set by the module's pom) and YAML/JSON readers for what lives there.
 */
final class Bundle {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Where runbook_url annotations point; the rest of the URL is a path under the repository. */
  static final String RUNBOOK_BASE = "https://github.com/swarmscope/swarmscope/blob/main/";

  private Bundle() {}

  static Path root() {
    return Path.of(System.getProperty("bundle.root", "..")).toAbsolutePath().normalize();
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  static JsonNode yaml(String relative) {
    try {
      return YAML.readTree(file(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path path) {
    try {
      return JSON.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> list(String dir, String suffix) {
    try (Stream<Path> s = Files.list(file(dir))) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule of alerts/swarmscope.rules.yml, recording and alerting. */
  static List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : yaml("alerts/swarmscope.rules.yml").get("groups")) {
      group.get("rules").forEach(rules::add);
    }
    return rules;
  }

  static List<JsonNode> alertRules() {
    return rules().stream().filter(r -> r.has("alert")).toList();
  }
}
