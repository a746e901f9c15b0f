package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/deploy.sh without a swarm ({@code --dry-run}, on a copy of the bundle): every config and
 * secret is named after the stack and the SHA-256 of its file, an edit renames exactly the edited
 * one, and what would break redeploys (a name without its hash, a bad stack name) is refused
 * before anything is deployed. StackUpgradeIT runs the real deploys.
 */
class DeployScriptTest {

  private static final String STACK = "shop-monitoring";

  @TempDir
  Path copy;

  @BeforeEach
  void copyBundle() throws IOException {
    Tools.require("docker");
    Path root = Bundle.root();
    for (String dir : List.of("config", "alerts", "dashboards", "scripts")) {
      try (Stream<Path> s = Files.walk(root.resolve(dir))) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Path target = copy.resolve(root.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
    for (String f : List.of("stack.yml", "stack.single-node-test.yml")) {
      Files.copy(root.resolve(f), copy.resolve(f));
    }
    assertEquals(0, sh("scripts/create-secrets.sh >/dev/null 2>&1").exitCode());
  }

  @Test
  void everyConfigAndSecretIsNamedByTheStackAndItsContent() throws Exception {
    Map<String, String> names = dryRun("stack.yml");
    JsonNode stack = Bundle.yaml("stack.yml");
    Map<String, String> expected = new TreeMap<>();
    for (String section : List.of("configs", "secrets")) {
      for (var it = stack.path(section).fields(); it.hasNext(); ) {
        var e = it.next();
        String hash = sha256(copy.resolve(e.getValue().path("file").asText())).substring(0, 12);
        expected.put(section + "." + e.getKey(), STACK + "_" + e.getKey() + "_" + hash);
      }
    }
    assertEquals(expected, names);
  }

  @Test
  void anEditedDashboardRenamesItsConfigOnly() throws Exception {
    Map<String, String> before = dryRun("stack.yml", "stack.single-node-test.yml");
    Path dashboard = copy.resolve("dashboards/swarm-overview.json");
    Files.writeString(dashboard, Files.readString(dashboard).replaceFirst("\"title\": \"", "\"title\": \"Edited "));
    Map<String, String> after = dryRun("stack.yml", "stack.single-node-test.yml");
    Map<String, String> changed = new TreeMap<>();
    after.forEach((k, v) -> {
      if (!v.equals(before.get(k))) {
        changed.put(k, v);
      }
    });
    assertEquals(Map.of("configs.dashboard_overview", STACK + "_dashboard_overview_"
        + sha256(dashboard).substring(0, 12)), changed);
    assertEquals(before.keySet(), after.keySet());
  }

  @Test
  void refusesANameWithoutItsHashAndABadStackName() throws IOException {
    Path stackYml = copy.resolve("stack.yml");
    Files.writeString(stackYml, Files.readString(stackYml)
        .replace("_setup_sh_${SWARMSCOPE_CONFIG_SETUP_SH:-1}", "_setup_sh_v2"));
    Tools.Exec e = sh("scripts/deploy.sh --no-preflight -c stack.yml " + STACK);
    assertEquals(1, e.exitCode(), e.output());
    assertTrue(e.output().contains("config setup_sh is named '" + STACK + "_setup_sh_v2', which does not carry its content hash"),
        e.output());
    Tools.Exec bad = sh("scripts/deploy.sh --no-preflight -c stack.yml Shop.Monitoring");
    assertEquals(1, bad.exitCode(), bad.output());
    assertTrue(bad.output().contains("stack name 'Shop.Monitoring'"), bad.output());
    Tools.Exec tooLong = sh("scripts/deploy.sh --no-preflight -c stack.yml a-stack-name-of-25-chars-");
    assertEquals(1, tooLong.exitCode(), tooLong.output());
  }

  /** deploy.sh --dry-run's "section.key name" lines. */
  private Map<String, String> dryRun(String... files) {
    StringBuilder command = new StringBuilder("scripts/deploy.sh --dry-run");
    for (String f : files) {
      command.append(" -c ").append(f);
    }
    Tools.Exec e = sh(command + " " + STACK);
    assertEquals(0, e.exitCode(), e.output());
    Map<String, String> names = new TreeMap<>();
    for (String line : e.output().split("\n")) {
      if (line.matches("(configs|secrets)\\.\\w+ \\S+")) {
        String[] f = line.split(" ");
        names.put(f[0], f[1]);
      }
    }
    assertTrue(e.output().contains("SWARMSCOPE_STACK=" + STACK), e.output());
    return names;
  }

  private Tools.Exec sh(String command) {
    return Tools.run(List.of("bash", "-c", "cd '" + copy + "' && " + command), 60);
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
