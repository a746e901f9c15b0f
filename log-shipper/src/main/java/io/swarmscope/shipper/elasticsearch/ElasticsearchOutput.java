package io.swarmscope.shipper.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.output.AckListener;
import io.swarmscope.shipper.output.EcsDocument;
import io.swarmscope.shipper.output.QueuedOutput;
import io.swarmscope.shipper.pipeline.LogEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch through the bulk API: each event a {@code create} with its deterministic id into
 * the daily index of its own timestamp ({@link DailyIndex}), so a line sent twice (after a crash,
 * a retry, a reconnect, on either side of midnight) meets its first copy, is refused with a 409
 * and counted as a suppressed duplicate, never stored twice.
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

  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

  private final Rest5Client rest;
  /** Per sending thread: the request body buffer and the serialiser of fallback documents. */
  private final ThreadLocal<Body> body = ThreadLocal.withInitial(Body::new);
  private final ThreadLocal<EcsDocument> ecs = ThreadLocal.withInitial(EcsDocument::new);
  private final Semaphore slots;
  private final ExecutorService senders;
  private long nextSequence;
  private long nextToAck;
  private final TreeMap<Long, List<LogEvent>> settled = new TreeMap<>();
  private final DailyIndex index;
  private final ShipperMetrics metrics;
  private final String node;
  private volatile boolean failing;

  /**
   * @param inFlight bulk requests sent at once; batches are acknowledged in the order they were
   *     cut whatever order they complete in, so a checkpoint never passes an unsettled batch
   */
  public ElasticsearchOutput(ElasticsearchClient client, DailyIndex index, long queueBytes,
      BatchPolicy batching, int inFlight, AckListener acks, ShipperMetrics metrics, String node) {
    super("elasticsearch", queueBytes, batching, acks);
    this.slots = new Semaphore(inFlight);
    AtomicInteger n = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r, "elasticsearch-bulk-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // The client's own low-level transport, for one pre-serialised NDJSON body with a length:
    // the typed BulkRequest streams every document as chunks of its own (four writes per line).
    this.rest = ((Rest5ClientTransport) client._transport()).restClient();
    this.index = index;
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

  /** Hands the batch to a sender; blocks while {@code inFlight} batches are being sent. */
  @Override
  protected void deliver(List<LogEvent> batch) throws InterruptedException {
    List<LogEvent> events = List.copyOf(batch);  // the worker reuses its list
    long sequence = nextSequence++;
    slots.acquire();
    senders.execute(() -> {
      try {
        send(events);
        settledInOrder(sequence, events);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();  // stopping: unacknowledged, re-read after a restart
      } finally {
        slots.release();
      }
    });
  }

  /** Acknowledges batches strictly in the order they were cut. */
  private synchronized void settledInOrder(long sequence, List<LogEvent> events) {
    settled.put(sequence, events);
    while (settled.containsKey(nextToAck)) {
      for (LogEvent e : settled.remove(nextToAck)) {
        acks.acked(name(), e);
      }
      nextToAck++;
    }
  }

  @Override
  public void close(long graceMillis) {
    super.close(graceMillis);
    senders.shutdown();
    try {
      if (!senders.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        senders.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends one batch until every item is settled (retrying as long as it takes). */
  private void send(List<LogEvent> batch) throws InterruptedException {
    List<Item> pending = new ArrayList<>(batch.size());
    for (LogEvent e : batch) {
      pending.add(new Item(e));
    }
    long backoff = 500;
    while (!pending.isEmpty()) {
      List<BulkItemResult> results;
      try {
        results = post(pending);
      } catch (ResponseException e) {
        requestFailed("http_" + e.getResponse().getStatusCode(), e.getMessage(), backoff);
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
      pending = settle(pending, results);
      if (!pending.isEmpty()) {
        backoff = sleep(backoff);
      }
    }
  }

  /** One {@code _bulk} request of {@code create} operations with the items' indices and ids. */
  private List<BulkItemResult> post(List<Item> items) throws IOException {
    Body body = this.body.get();
    body.reset();
    for (Item item : items) {
      body.write(CREATE_PREFIX);
      body.write(index.nameBytes(item.event.record().first().timestampNanos()));
      body.write(CREATE_ID);
      body.write(item.event.id().getBytes(StandardCharsets.US_ASCII));
      body.write(CREATE_SUFFIX);
      body.write(item.document);
      body.write('\n');
    }
    Request request = new Request("POST", "/_bulk");
    request.setEntity(new ByteArrayEntity(body.buffer(), 0, body.size(), NDJSON));
    Response response = rest.performRequest(request);
    try (InputStream in = response.getEntity().getContent()) {
      return BulkResponseReader.items(in);
    }
  }

  private static final byte[] CREATE_PREFIX = "{\"create\":{\"_index\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CREATE_ID = "\",\"_id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CREATE_SUFFIX = "\"}}\n".getBytes(StandardCharsets.US_ASCII);

  /** The request body, reused between batches (no copy of a 5 MB array per request). */
  private static final class Body extends ByteArrayOutputStream {
    Body() {
      super(1 << 20);
    }

    byte[] buffer() {
      return buf;
    }
  }

  /** Settles the items the response settled; returns those to send again. */
  private List<Item> settle(List<Item> items, List<BulkItemResult> results) {
    List<Item> again = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      BulkItemResult r = i < results.size() ? results.get(i) : null;
      if (r == null) {
        again.add(item);
        continue;
      }
      String type = r.errorType();
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
          item.document = ecs.get().fallback(e.container(), e.hostName(), e.record(), e.parsed());
          item.fallback = true;
          log.warn("document {} of container {} clashes with the index mapping ({}: {}); stored "
              + "again with its fields as text in event.original", e.id(), e.container().name(),
              type, r.errorReason());
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
              e.container().name(), r.status(), type, r.errorReason(), reason);
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
