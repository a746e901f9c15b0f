package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The UI proxy's configuration against stack.yml, statically (UiAuthProxyIT runs it): the proxy is
 * the only service that publishes ports, it publishes exactly the ports its listen file opens,
 * each of those leads to a UI service of the stack, authentication is switched off nowhere but on
 * the loopback-only health port, and every file nginx.conf includes is mounted where it looks.
 * The TLS variant (stack.ui-tls.yml, listen.tls.conf) opens the same ports, each with TLS 1.2+ and
 * forward-secret AEAD suites only, with the certificate and key where Swarm mounts its secrets,
 * and changes nothing else in the stack.
 */
class UiProxyConfigTest {

  static final String LISTEN_CONF = "config/ui-proxy/listen.conf";
  static final String LISTEN_TLS_CONF = "config/ui-proxy/listen.tls.conf";
  static final List<String> TLS_STACK = List.of("stack.yml", "stack.ui-tls.yml");

  private static final Pattern SERVER = Pattern.compile("\\n  server \\{(.*?)\\n  \\}", Pattern.DOTALL);
  private static final Pattern LISTEN = Pattern.compile("(?m)^\\s*listen (\\S+?)( ssl)?;");
  private static final Pattern UI_MAP = Pattern.compile("map \\$server_port \\$ui \\{(.*?)\\}", Pattern.DOTALL);
  private static final Pattern UI_ENTRY = Pattern.compile("(\\d+) http://([\\w-]+):(\\d+);");
  private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*include (\\S+);");

  static String read(String relative) {
    try {
      return Files.readString(Bundle.file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String nginxConf() {
    return read("config/ui-proxy/nginx.conf");
  }

  /** The addresses a file's listen lines open, each to whether it has {@code ssl}. */
  static Map<String, Boolean> listens(String text) {
    Map<String, Boolean> out = new TreeMap<>();
    Matcher m = LISTEN.matcher(text);
    while (m.find()) {
      out.put(m.group(1), m.group(2) != null);
    }
    return out;
  }

  /** The ports the UIs are served on (listen.conf; listen.tls.conf must open the same). */
  static Set<Integer> publicListenPorts() {
    return ports(listens(read(LISTEN_CONF)));
  }

  private static Set<Integer> ports(Map<String, Boolean> listens) {
    Set<Integer> out = new TreeSet<>();
    listens.keySet().forEach(l -> out.add(Integer.parseInt(l)));
    return out;
  }

  /** The value of a directive that occurs once in {@code text}. */
  static String directive(String text, String name) {
    Matcher m = Pattern.compile("(?m)^\\s*" + name + " ([^;]+);").matcher(text);
    assertTrue(m.find(), "no " + name);
    String value = m.group(1);
    assertFalse(m.find(), name + " twice");
    return value;
  }

  /** nginx.conf's map from the port a request came in on to the UI service it is proxied to. */
  static Map<Integer, String> uiByPort() {
    Matcher map = UI_MAP.matcher(nginxConf());
    assertTrue(map.find(), "no map $server_port $ui in nginx.conf");
    Map<Integer, String> out = new TreeMap<>();
    Matcher e = UI_ENTRY.matcher(map.group(1));
    while (e.find()) {
      out.put(Integer.parseInt(e.group(1)), e.group(2) + ":" + e.group(3));
    }
    return out;
  }

  @Test
  void everyPublicPortProxiesToAUiOfTheStackWithAuthOn() {
    JsonNode services = Bundle.yaml("stack.yml").path("services");
    assertEquals(Set.of(3000, 5601, 9090, 9093), publicListenPorts());
    assertEquals(publicListenPorts(), uiByPort().keySet(), "every port leads to a UI");
    uiByPort().forEach((port, upstream) -> assertTrue(services.has(upstream.split(":")[0]),
        "port " + port + ": upstream " + upstream + " is no service of stack.yml"));

    String conf = nginxConf();
    List<String> servers = new ArrayList<>();
    Matcher m = SERVER.matcher(conf);
    while (m.find()) {
      servers.add(m.group(1));
    }
    assertEquals(2, servers.size(), "the UIs' server and the health check's");
    String ui = servers.get(0);
    assertEquals(Map.of(), listens(ui), "the UIs' server listens only through the included file");
    assertTrue(ui.contains("include /etc/nginx/ui-listen.conf;") && ui.contains("proxy_pass $ui;"), ui);
    String health = servers.get(1);
    assertEquals(Map.of("127.0.0.1:8081", false), listens(health), "the health port: plain, loopback only");
    assertTrue(health.contains("auth_basic off;"), health);

    // Set for the whole http block, before any server, so both listen variants get them.
    int firstServer = conf.indexOf("\n  server {");
    assertTrue(conf.indexOf("auth_basic \"swarmscope\";") < firstServer);
    assertTrue(conf.indexOf("auth_basic_user_file /run/secrets/ui_htpasswd;") < firstServer);
    assertTrue(conf.indexOf("proxy_set_header Authorization \"\";") < firstServer,
        "Grafana and Kibana must not receive the proxy's credentials");
    assertEquals(1, conf.split("auth_basic off", -1).length - 1, "auth_basic off only on the health port");
    assertFalse(read(LISTEN_CONF).contains("auth_basic"), "authentication is nginx.conf's alone");
  }

  @Test
  void onlyTheUiProxyPublishesPortsAndItPublishesExactlyThoseItListensOn() {
    JsonNode services = Bundle.yaml("stack.yml").path("services");
    List<String> publishing = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().has("ports")) {
        publishing.add(e.getKey());
      }
    });
    assertEquals(List.of("ui-proxy"), publishing);
    assertEquals(publicListenPorts(), publishedPorts(services.path("ui-proxy")));
    assertTrue(services.path("ui-proxy").path("secrets").toString().contains("ui_htpasswd"));
  }

  @Test
  void everyFileNginxIncludesIsMountedWhereItLooks() {
    JsonNode stack = StackFileTest.merged(List.of("stack.yml"));
    Map<String, Path> mounted = configFiles(stack);
    assertEquals(Bundle.file("config/ui-proxy/nginx.conf"), mounted.get("/etc/nginx/nginx.conf"));
    Matcher include = INCLUDE.matcher(nginxConf());
    Set<String> included = new TreeSet<>();
    while (include.find()) {
      included.add(include.group(1));
    }
    assertEquals(Set.of("/etc/nginx/ui-listen.conf"), included);
    assertEquals(Bundle.file(LISTEN_CONF), mounted.get("/etc/nginx/ui-listen.conf"));
  }

  @Test
  void theTlsVariantOpensTheSamePortsOnlyWithModernTls() {
    String tls = read(LISTEN_TLS_CONF);
    assertEquals(publicListenPorts(), ports(listens(tls)), "listen.tls.conf opens exactly listen.conf's ports");
    assertEquals(Set.of(true), Set.copyOf(listens(tls).values()), "every port with ssl: " + listens(tls));
    assertEquals(Set.of(false), Set.copyOf(listens(read(LISTEN_CONF)).values()), "the plain variant is plain");
    assertEquals("TLSv1.2 TLSv1.3", directive(tls, "ssl_protocols"));
    for (String cipher : directive(tls, "ssl_ciphers").split(":")) {
      assertTrue(cipher.matches("ECDHE-(ECDSA|RSA)-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)"),
          "not a forward-secret AEAD suite: " + cipher);
    }
    assertEquals("off", directive(tls, "ssl_session_tickets"));
    assertFalse(tls.contains("auth_basic") || tls.contains("proxy_set_header"),
        "authentication and the forwarded headers are nginx.conf's, the same for both variants");
  }

  @Test
  void theTlsOverrideGivesTheProxyItsCertificateAndChangesNothingElse() {
    JsonNode plain = StackFileTest.merged(List.of("stack.yml"));
    JsonNode tls = StackFileTest.merged(TLS_STACK);
    JsonNode proxy = tls.path("services").path("ui-proxy");

    Map<String, Path> files = configFiles(tls);
    assertEquals(configFiles(plain).keySet(), files.keySet());
    assertEquals(Bundle.file(LISTEN_TLS_CONF), files.get("/etc/nginx/ui-listen.conf"), "listen.tls.conf in listen.conf's place");
    // nginx reads the certificate and its key where Swarm mounts the override's secrets.
    Map<String, String> secretFiles = new TreeMap<>();
    proxy.path("secrets").forEach(s -> secretFiles.put(
        s.path("target").asText("/run/secrets/" + s.path("source").asText()),
        tls.path("secrets").path(s.path("source").asText()).path("file").asText()));
    String tlsConf = read(LISTEN_TLS_CONF);
    assertEquals(Bundle.file("secrets/ui_tls.crt").toString(), secretFiles.get(directive(tlsConf, "ssl_certificate")));
    assertEquals(Bundle.file("secrets/ui_tls.key").toString(), secretFiles.get(directive(tlsConf, "ssl_certificate_key")));
    assertTrue(secretFiles.containsKey("/run/secrets/ui_htpasswd"), "authentication stays on: " + secretFiles);

    // The same published ports (merging may reorder them) and health check (the loopback port
    // stays plain), and no other change to any service.
    assertEquals(publishedPorts(plain.path("services").path("ui-proxy")), publishedPorts(proxy));
    ObjectNode plainProxy = (ObjectNode) plain.path("services").path("ui-proxy").deepCopy();
    ObjectNode tlsProxy = proxy.deepCopy();
    plainProxy.remove(List.of("secrets", "ports"));
    tlsProxy.remove(List.of("secrets", "ports"));
    assertEquals(plainProxy, tlsProxy, "stack.ui-tls.yml changes only ui-proxy's secrets");
    List<String> names = new ArrayList<>();
    plain.path("services").fieldNames().forEachRemaining(names::add);
    List<String> tlsNames = new ArrayList<>();
    tls.path("services").fieldNames().forEachRemaining(tlsNames::add);
    assertEquals(names, tlsNames);
    names.stream().filter(n -> !n.equals("ui-proxy")).forEach(n ->
        assertEquals(plain.path("services").path(n), tls.path("services").path(n), "stack.ui-tls.yml changes service " + n));
    ObjectNode tlsConfigs = (ObjectNode) tls.path("configs").deepCopy();
    ObjectNode plainConfigs = (ObjectNode) plain.path("configs").deepCopy();
    tlsConfigs.remove("ui_proxy_listen");
    plainConfigs.remove("ui_proxy_listen");
    assertEquals(plainConfigs, tlsConfigs, "and of the configs only ui_proxy_listen");
    ObjectNode tlsSecrets = (ObjectNode) tls.path("secrets").deepCopy();
    tlsSecrets.remove(List.of("ui_tls_crt", "ui_tls_key"));
    assertEquals(plain.path("secrets"), tlsSecrets, "and adds the two secrets only");
  }

  static Set<Integer> publishedPorts(JsonNode service) {
    Set<Integer> published = new TreeSet<>();
    service.path("ports").forEach(p -> {
      assertEquals(p.path("target").asInt(), p.path("published").asInt(), p.toString());
      published.add(p.path("target").asInt());
    });
    return published;
  }

  /** A merged stack's ui-proxy configs: the path in the container to the file it comes from. */
  static Map<String, Path> configFiles(JsonNode merged) {
    Map<String, Path> out = new TreeMap<>();
    merged.path("services").path("ui-proxy").path("configs").forEach(c -> out.put(c.path("target").asText(),
        Path.of(merged.path("configs").path(c.path("source").asText()).path("file").asText())));
    return out;
  }
}
