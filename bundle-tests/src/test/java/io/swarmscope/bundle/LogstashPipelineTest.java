package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Logstash cannot be installed on the build machines, so its pipeline is checked statically
 * against what the shipper sends and what the stack wires up: the input the shipper's logstash
 * output talks to, the shipper's document id used on the way to Elasticsearch (replays refused,
 * not stored twice), the daily index family the template maps, and no literal secret.
 */
class LogstashPipelineTest {

  private static String pipeline() throws Exception {
    return Files.readString(Bundle.root().resolve("config/logstash/pipeline.conf"));
  }

  private static String block(String text, String name) {
    Matcher m = Pattern.compile("(?s)\\b" + name + "\\s*\\{(.*?)\\n  \\}").matcher(text);
    assertTrue(m.find(), "no " + name + " block in the pipeline");
    return m.group(1);
  }

  @Test
  void inputIsTheTcpJsonLinesTheShipperSendsByDefault() throws Exception {
    String tcp = block(pipeline(), "tcp");
    assertTrue(tcp.matches("(?s).*port\\s*=>\\s*5000\\b.*"), tcp);
    assertTrue(tcp.matches("(?s).*codec\\s*=>\\s*json_lines\\b.*"), tcp);
    String stack = Files.readString(Bundle.root().resolve("stack.yml"));
    assertTrue(stack.contains("SWARMSCOPE_LOGSTASH_ADDRESS: logstash:5000"),
        "the stack points the shipper at the pipeline's port");
    String settings = Files.readString(Bundle.root().resolve(
        "log-shipper/src/main/java/io/swarmscope/shipper/output/logstash/LogstashSettings.java"));
    assertTrue(settings.contains("5000"), "the shipper's default port is the pipeline's");
  }

  @Test
  void outputCreatesWithTheShippersIdIntoTheTemplatesDailyIndices() throws Exception {
    String es = block(pipeline(), "elasticsearch");
    assertTrue(es.contains("document_id => \"%{[event][id]}\""), "replays must be conflicts: " + es);
    assertTrue(es.matches("(?s).*action\\s*=>\\s*\"create\".*"), "create, so a replay is refused: " + es);
    // A data stream would take a replay after a rollover into its new write index.
    assertTrue(es.matches("(?s).*data_stream\\s*=>\\s*false.*"), es);
    // The index is the day of the event's own @timestamp, as the shipper's DailyIndex names it.
    assertTrue(es.contains("index => \"swarmscope-logs-logstash-%{+YYYY.MM.dd}\""), es);
    String template = Files.readString(Bundle.root().resolve("config/elasticsearch/index-template.json"));
    assertTrue(template.contains("\"index_patterns\": [\"swarmscope-logs-*\"]"), "the template maps them");
    assertTrue(!template.contains("\"data_stream\""), "the template makes plain indices");
    assertTrue(template.matches("(?s).*\"event\": \\{\"properties\": \\{\\s*\"id\": \\{\"type\": \"keyword\"}.*"),
        "event.id is mapped");
  }

  @Test
  void noSecretInThePipeline() throws Exception {
    String es = block(pipeline(), "elasticsearch");
    Matcher m = Pattern.compile("password\\s*=>\\s*\"([^\"]*)\"").matcher(es);
    assertTrue(m.find(), "the writer authenticates");
    assertTrue(m.group(1).startsWith("${"), "password from the environment (a Docker secret): " + m.group(1));
  }
}
