package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * the only service that publishes ports, it publishes exactly the ports nginx.conf listens on,
 * each of those proxies to a UI service of the stack, and authentication is switched off nowhere
 * but on the loopback-only health port.
 */
class UiProxyConfigTest {

  private static final Pattern SERVER = Pattern.compile(
      "server \\{\\s*listen (\\S+?);(.*?)\\n  \\}", Pattern.DOTALL);
  private static final Pattern UPSTREAM = Pattern.compile("set \\$upstream http://([\\w-]+):(\\d+);");

  static String nginxConf() {
    try {
      return Files.readString(Bundle.file("config/ui-proxy/nginx.conf"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** listen address to the server block's body. */
  static Map<String, String> servers() {
    Map<String, String> out = new TreeMap<>();
    Matcher m = SERVER.matcher(nginxConf());
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /** The ports nginx listens on for everyone (not loopback). */
  static Set<Integer> publicListenPorts() {
    Set<Integer> out = new TreeSet<>();
    servers().keySet().stream().filter(l -> l.matches("\\d+")).forEach(l -> out.add(Integer.parseInt(l)));
    return out;
  }

  @Test
  void everyPublicPortProxiesToAUiOfTheStackWithAuthOn() {
    JsonNode services = Bundle.yaml("stack.yml").path("services");
    Map<String, String> servers = servers();
    assertEquals(Set.of(3000, 5601, 9090, 9093), publicListenPorts());
    for (Map.Entry<String, String> e : servers.entrySet()) {
      String body = e.getValue();
      if (!e.getKey().matches("\\d+")) {
        assertTrue(e.getKey().startsWith("127.0.0.1:"), "not loopback: " + e.getKey());
        continue;
      }
      assertTrue(!body.contains("auth_basic off"), "auth switched off on " + e.getKey());
      Matcher up = UPSTREAM.matcher(body);
      assertTrue(up.find(), "no upstream for " + e.getKey());
      assertTrue(services.has(up.group(1)), "upstream " + up.group(1) + " is no service of stack.yml");
    }
    String conf = nginxConf();
    // Set for the whole http block, before any server.
    int firstServer = conf.indexOf("server {");
    assertTrue(conf.indexOf("auth_basic \"swarmscope\";") < firstServer);
    assertTrue(conf.indexOf("auth_basic_user_file /run/secrets/ui_htpasswd;") < firstServer);
    assertTrue(conf.indexOf("proxy_set_header Authorization \"\";") < firstServer,
        "Grafana and Kibana must not receive the proxy's credentials");
    assertEquals(1, conf.split("auth_basic off", -1).length - 1, "auth_basic off only on the health port");
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
    Set<Integer> published = new TreeSet<>();
    services.path("ui-proxy").path("ports").forEach(p -> {
      assertEquals(p.path("target").asInt(), p.path("published").asInt(), p.toString());
      published.add(p.path("target").asInt());
    });
    assertEquals(publicListenPorts(), published);
    assertTrue(services.path("ui-proxy").path("secrets").toString().contains("ui_htpasswd"));
  }
}
