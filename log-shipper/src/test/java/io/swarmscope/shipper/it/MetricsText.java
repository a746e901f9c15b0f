package io.swarmscope.shipper.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a shipper's /metrics (Prometheus text) and sums series by name and label fragment. */
public final class MetricsText {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String text;

  private MetricsText(String text) {
    this.text = text;
  }

  public static MetricsText scrape(int port) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new MetricsText(r.body());
    } catch (IOException e) {
      return new MetricsText("");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new MetricsText("");
    }
  }

  /** Sum of the samples of {@code name} whose label set contains every {@code fragments}. */
  public double sum(String name, String... fragments) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean all = true;
      for (String f : fragments) {
        all &= line.contains(f);
      }
      if (all) {
        String v = line.substring(line.lastIndexOf(' ') + 1);
        total += switch (v) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          case "NaN" -> Double.NaN;
          default -> Double.parseDouble(v);
        };
      }
    }
    return total;
  }

  public String text() {
    return text;
  }
}
