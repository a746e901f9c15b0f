package io.swarmscope.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP for the bundle tests (Prometheus, Alertmanager, Elasticsearch APIs): one client,
 * the body as a tree, and a service that does not answer as {@code {"status":"unreachable"}} so
 * that a polling probe can look at it instead of catching.
 */
final class JsonHttp {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpClient client() {
    return http;
  }

  JsonNode get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build());
  }

  JsonNode postJson(String url, String body, Duration timeout) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return Bundle.JSON.readTree(r.body());
    } catch (IOException e) {
      return Bundle.JSON.createObjectNode().put("status", "unreachable").put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A dotted field of an Elasticsearch _source, whether stored as objects or as a dotted key. */
  static String field(JsonNode source, String dotted) {
    if (source.has(dotted)) {
      return source.get(dotted).asText();
    }
    JsonNode n = source;
    for (String part : dotted.split("\\.")) {
      n = n.path(part);
    }
    return n.isValueNode() ? n.asText() : "";
  }
}
