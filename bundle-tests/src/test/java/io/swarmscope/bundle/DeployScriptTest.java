package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * before anything is deployed. With stack.ui-tls.yml: the files to provide are named, a renewed
 * certificate renames its two secrets only (so a redeploy rolls ui-proxy over to it), and the
 * preflight checks that the certificate and key belong together. StackUpgradeIT runs the real
 * deploys.
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
    for (String f : List.of("stack.yml", "stack.single-node-test.yml", "stack.metrics-only.yml", "stack.ui-tls.yml")) {
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

  @Test
  void theUiCertificateIsNamedByItsContentSoARenewalRenamesItsTwoSecretsOnly() throws Exception {
    Tools.require("openssl");
    Tools.Exec missing = sh("scripts/deploy.sh --dry-run -c stack.yml -c stack.ui-tls.yml " + STACK);
    assertEquals(1, missing.exitCode(), missing.output());
    assertTrue(missing.output().contains("are yours to put in secrets/ui_tls.crt and .key"), missing.output());
    Tools.Exec hint = sh("scripts/create-secrets.sh");
    assertTrue(hint.output().contains("put your certificate chain in " + copy.resolve("secrets/ui_tls.crt")
        + " and its key in " + copy.resolve("secrets/ui_tls.key")), hint.output());
    assertFalse(Files.exists(copy.resolve("secrets/ui_tls.crt")), "no certificate unless asked for");

    assertEquals(0, sh("UI_TLS_SELF_SIGNED_NAMES=localhost scripts/create-secrets.sh >/dev/null 2>&1").exitCode());
    Map<String, String> before = dryRun("stack.yml", "stack.ui-tls.yml");
    assertEquals(STACK + "_ui_proxy_listen_tls_" + sha256(copy.resolve("config/ui-proxy/listen.tls.conf")).substring(0, 12),
        before.get("configs.ui_proxy_listen"));
    assertEquals(STACK + "_ui_tls_crt_" + sha256(copy.resolve("secrets/ui_tls.crt")).substring(0, 12),
        before.get("secrets.ui_tls_crt"));

    // Renewal as docs/bundle.md tells it: new files in place of the old, then the same deploy.
    Files.delete(copy.resolve("secrets/ui_tls.crt"));
    Files.delete(copy.resolve("secrets/ui_tls.key"));
    assertEquals(0, sh("UI_TLS_SELF_SIGNED_NAMES=localhost scripts/create-secrets.sh >/dev/null 2>&1").exitCode());
    Map<String, String> after = dryRun("stack.yml", "stack.ui-tls.yml");
    Map<String, String> changed = new TreeMap<>();
    after.forEach((k, v) -> {
      if (!v.equals(before.get(k))) {
        changed.put(k, v);
      }
    });
    assertEquals(Map.of(
        "secrets.ui_tls_crt", STACK + "_ui_tls_crt_" + sha256(copy.resolve("secrets/ui_tls.crt")).substring(0, 12),
        "secrets.ui_tls_key", STACK + "_ui_tls_key_" + sha256(copy.resolve("secrets/ui_tls.key")).substring(0, 12)), changed);
  }

  /**
   * The preflight's certificate checks come before its swarm checks and need no swarm; the metrics
   * half keeps it from starting its Elasticsearch job on this machine's engine.
   */
  @Test
  void preflightNamesTheMissingCertificateFilesAndChecksTheKeyAndTheExpiry() throws IOException {
    Tools.require("openssl");
    String preflight = "scripts/preflight.sh -c stack.yml -c stack.metrics-only.yml -c stack.ui-tls.yml " + STACK + " 2>&1";
    Path crt = copy.resolve("secrets/ui_tls.crt");
    Path key = copy.resolve("secrets/ui_tls.key");
    Tools.Exec missing = sh(preflight);
    assertEquals(1, missing.exitCode(), missing.output());
    assertTrue(missing.output().contains("FAIL: secret file " + crt + " is missing: stack.ui-tls.yml serves the UIs with your certificate"),
        missing.output());
    assertTrue(missing.output().contains("FAIL: secret file " + key + " is missing"), missing.output());

    assertEquals(0, sh("UI_TLS_SELF_SIGNED_NAMES='ui.example.org 10.0.0.5' scripts/create-secrets.sh >/dev/null 2>&1").exitCode());
    Tools.Exec good = sh(preflight);
    assertTrue(good.output().contains("ok: UI certificate for DNS:ui.example.org, IP Address:10.0.0.5 (until "), good.output());
    assertFalse(good.output().contains("ui_tls"), "no complaint about the certificate files: " + good.output());

    Files.delete(key);
    Tools.succeed(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString()), 60);
    Tools.Exec mismatch = sh(preflight);
    assertEquals(1, mismatch.exitCode(), mismatch.output());
    assertTrue(mismatch.output().contains("FAIL: " + key + " is not the key of the certificate in " + crt), mismatch.output());

    Tools.succeed(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "10", "-subj", "/CN=ui.example.org",
        "-addext", "subjectAltName=DNS:ui.example.org", "-keyout", key.toString(), "-out", crt.toString()), 60);
    Tools.Exec expiring = sh(preflight);
    assertTrue(expiring.output().contains("WARN: the UI certificate " + crt + " expires on "), expiring.output());
    assertTrue(expiring.output().contains("ok: UI certificate for DNS:ui.example.org"), expiring.output());
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
