package io.swarmscope.exporter.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Test helper: scrapes a running exporter's /metrics over HTTP, as Prometheus would. */
public final class Scraper {

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI uri;

  public Scraper(int port) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
  }

  public String scrape() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The sample lines of {@code metric} (exact name) that contain every one of {@code parts}. */
  public static List<String> lines(String exposition, String metric, String... parts) {
    return exposition.lines()
        .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
        .filter(l -> {
          for (String p : parts) {
            if (!l.contains(p)) {
              return false;
            }
          }
          return true;
        })
        .toList();
  }

  /** The value of a sample line. */
  public static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
