package io.swarmscope.shipper.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.AckListener;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.output.QueuedOutput;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch through the bulk API: each event a {@code create} with its deterministic id into
 * the data stream, so a line sent twice (after a crash, a retry, a reconnect) is refused with a
 * 409 and counted as a suppressed duplicate, never stored twice.
 *
 * <p>A batch is acknowledged only when every item in it is settled: requests that fail as a
 * whole (connection refused, 429, 5xx) are retried with backoff (0.5 s doubling to 30 s) for as
 * long as it takes, while the queue in front fills and the readers stop; items that fail alone
 * are retried alone; items whose fields clash with the mapping are sent again in the fallback
 * shape; other refusals are dropped, counted with their error type and logged.
 */
public final class ElasticsearchOutput extends QueuedOutput {

  private static final Logger log = LoggerFactory.getLogger(ElasticsearchOutput.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final ElasticsearchClient client;
  private final String dataStream;
  private final ShipperMetrics metrics;
  private final String node;
  private final EcsDocument ecs = new EcsDocument();
  private boolean failing;

  public ElasticsearchOutput(ElasticsearchClient client, String dataStream, long queueBytes,
      BatchPolicy batching, AckListener acks, ShipperMetrics metrics, String node) {
    super("elasticsearch", queueBytes, batching, acks);
    this.client = client;
    this.dataStream = dataStream;
    this.metrics = metrics;
    this.node = node;
  }

  /** An item of the batch still to be settled, in the shape it will be sent. */
  private static final class Item {
    final LogEvent event;
    byte[] document;
    boolean fallback;

    Item(LogEvent event) {
      this.event = event;
      this.document = event.document();
    }
  }

  @Override
  protected void deliver(List<LogEvent> batch) throws InterruptedException {
    List<Item> pending = new ArrayList<>(batch.size());
    for (LogEvent e : batch) {
      pending.add(new Item(e));
    }
    long backoff = 500;
    while (!pending.isEmpty()) {
      BulkResponse response;
      try {
        response = client.bulk(request(pending));
      } catch (ElasticsearchException e) {
        requestFailed("http_" + e.status(), e.getMessage(), backoff);
        backoff = sleep(backoff);
        continue;
      } catch (TransportException e) {
        requestFailed(e.statusCode() > 0 ? "http_" + e.statusCode() : "transport", e.getMessage(), backoff);
        backoff = sleep(backoff);
        continue;
      } catch (IOException | RuntimeException e) {
        requestFailed("connection", e.toString(), backoff);
        backoff = sleep(backoff);
        continue;
      }
      if (failing) {
        failing = false;
        log.info("Elasticsearch accepts bulk requests again");
      }
      pending = settle(pending, response);
      if (!pending.isEmpty()) {
        backoff = sleep(backoff);
      }
    }
    for (LogEvent e : batch) {
      acks.acked(name(), e);
    }
  }

  private BulkRequest request(List<Item> items) {
    BulkRequest.Builder b = new BulkRequest.Builder();
    for (Item item : items) {
      BinaryData doc = BinaryData.of(item.document, ContentType.APPLICATION_JSON);
      b.operations(op -> op.create(c -> c.index(dataStream).id(item.event.id()).document(doc)));
    }
    return b.build();
  }

  /** Settles the items the response settled; returns those to send again. */
  private List<Item> settle(List<Item> items, BulkResponse response) {
    List<Item> again = new ArrayList<>();
    List<BulkResponseItem> results = response.items();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      BulkResponseItem r = i < results.size() ? results.get(i) : null;
      if (r == null) {
        again.add(item);
        continue;
      }
      String type = r.error() == null ? null : r.error().type();
      switch (BulkOutcome.of(r.status(), type, item.fallback)) {
        case STORED -> metrics.shipped.labelValues(node, name()).inc();
        case DUPLICATE -> metrics.duplicates.labelValues(node, name()).inc();
        case RETRY -> {
          metrics.outputErrors.labelValues(node, name(), "item_" + r.status()).inc();
          again.add(item);
        }
        case FALLBACK -> {
          metrics.outputErrors.labelValues(node, name(), "mapping_conflict").inc();
          LogEvent e = item.event;
          item.document = ecs.fallback(e.container(), e.hostName(), e.record(), e.parsed());
          item.fallback = true;
          log.warn("document {} of container {} clashes with the index mapping ({}: {}); stored "
              + "again with its fields as text in event.original", e.id(), e.container().name(),
              type, r.error().reason());
          again.add(item);
        }
        case REJECTED -> {
          LogEvent e = item.event;
          String reason = "rejected_" + (type == null ? "http_" + r.status() : type);
          metrics.outputErrors.labelValues(node, name(), reason).inc();
          metrics.dropped.labelValues(e.container().stack(), EcsDocument.serviceName(e.container()),
              node, reason).inc();
          log.error("Elasticsearch refused document {} of container {} for good ({} {}: {}); it is "
              + "counted in swarmscope_log_lines_dropped_total{{reason=\"{}\"}}", e.id(),
              e.container().name(), r.status(), type, r.error() == null ? "" : r.error().reason(), reason);
        }
      }
    }
    return again;
  }

  private void requestFailed(String reason, String message, long backoff) {
    metrics.outputErrors.labelValues(node, name(), reason).inc();
    if (!failing) {
      failing = true;
      log.warn("Elasticsearch bulk request failed ({}: {}); retrying every {} ms up to {} s; "
          + "readers stop when the queue is full, Docker's log files hold the backlog", reason,
          message, backoff, MAX_BACKOFF_MS / 1000);
    } else {
      log.debug("Elasticsearch bulk request failed again ({}: {})", reason, message);
    }
  }

  private static long sleep(long backoff) throws InterruptedException {
    Thread.sleep(backoff);
    return Math.min(MAX_BACKOFF_MS, backoff * 2);
  }
}
