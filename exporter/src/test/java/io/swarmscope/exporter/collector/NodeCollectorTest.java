package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCollectorTest {

  @Test
  void failedAndNoDataCollectorsReportSuccessZeroWhileOthersAnswer() {
    Map<String, Collector> collectors = new LinkedHashMap<>();
    collectors.put("broken", out -> {
      throw new IOException("garbled");
    });
    collectors.put("absent", out -> {
      throw new NoDataException("not on this host");
    });
    collectors.put("loadavg", out -> out.add(Family.gauge("node_load1", "1m load average.").add(0.5).build()));
    String text = Exposition.text(new NodeCollector(collectors).collect());
    assertTrue(text.contains("node_scrape_collector_success{collector=\"absent\"} 0.0"), text);
    assertTrue(text.contains("node_scrape_collector_success{collector=\"broken\"} 0.0"), text);
    assertTrue(text.contains("node_scrape_collector_success{collector=\"loadavg\"} 1.0"), text);
    assertTrue(text.contains("node_load1 0.5"), text);
  }
}
