package io.swarmscope.shipper.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import io.swarmscope.shipper.metrics.ShipperMetrics;
import io.swarmscope.shipper.pipeline.ContainerPipeline;
import io.swarmscope.shipper.pipeline.LogPosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one container's log until the container has stopped and everything it wrote was read:
 * opens the log stream from the pipeline's resume point, re-opens it (with backoff) when it ends
 * or breaks while the container still runs, and reports rotation losses.
 */
public final class ContainerFollower implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ContainerFollower.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String id;
  private final DockerClient docker;
  private final DockerHttpClient http;
  private final ContainerPipeline pipeline;
  private final ShipperMetrics metrics;
  private final String node;
  private final int maxLineBytes;
  private final Runnable onExit;
  private volatile boolean recheck;
  private volatile boolean restart;
  private volatile DockerHttpClient.Response current;
  private volatile boolean stopped;

  public ContainerFollower(String id, DockerClient docker, DockerHttpClient http,
      ContainerPipeline pipeline, ShipperMetrics metrics, String node, int maxLineBytes,
      Runnable onExit) {
    this.id = id;
    this.docker = docker;
    this.http = http;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.node = node;
    this.maxLineBytes = maxLineBytes;
    this.onExit = onExit;
  }

  public ContainerPipeline pipeline() {
    return pipeline;
  }

  /** The container (re)started: look again before deciding the log is finished. */
  public void recheck() {
    recheck = true;
  }

  /** Whether a recheck was asked for since the last call; clears it. */
  public boolean takeRecheck() {
    boolean r = recheck;
    recheck = false;
    return r;
  }

  public void stop() {
    stopped = true;
  }

  /** Closes the open stream and re-opens it from the pipeline's resume point (catch-up). */
  public void restartStream() {
    restart = true;
    DockerHttpClient.Response r = current;
    if (r != null) {
      r.close();
    }
  }

  @Override
  public void run() {
    long backoff = 500;
    try {
      while (!stopped) {
        recheck = false;
        InspectContainerResponse c;
        try {
          c = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
          pipeline.endOfLog();
          return;
        } catch (RuntimeException e) {
          // dockerd restarting or the socket proxy gone: the log is still there, wait for it.
          log.warn("cannot inspect container {} ({}); retrying in {} ms", shortId(), e.toString(), backoff);
          Thread.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          continue;
        }
        boolean running = Boolean.TRUE.equals(c.getState().getRunning());
        boolean tty = c.getConfig() != null && Boolean.TRUE.equals(c.getConfig().getTty());
        LogPosition from = pipeline.resumeFrom();
        pipeline.beginStream();
        long opened = System.nanoTime();
        String failure = readOnce(running, tty, from);
        if (restart) {
          restart = false;
          pipeline.abandonHeld();
          metrics.reconnects.labelValues(node, "catch_up").inc();
          continue;
        }
        if (failure == null) {
          backoff = 500;
          if (!running && !recheck) {
            pipeline.endOfLog();
            return;  // stopped before we opened the stream, and all of it was read
          }
          // The follow stream ended: the container stopped, or dockerd closed it. Look again.
          if (!isRunning() && !recheck) {
            pipeline.endOfLog();
            return;
          }
          metrics.reconnects.labelValues(node, "stream_ended").inc();
          if (System.nanoTime() - opened < 1_000_000_000L) {
            Thread.sleep(500);  // a stream that ends at once, again and again, must not spin
          }
        } else {
          pipeline.abandonHeld();
          metrics.reconnects.labelValues(node, "stream_error").inc();
          log.warn("log stream of container {} broke ({}); resuming from {} in {} ms", shortId(),
              failure, DockerTimestamps.format(pipeline.resumeFrom().timestampNanos()), backoff);
          Thread.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("following container {} failed; it is picked up again at the next resync", shortId(), e);
    } finally {
      onExit.run();
    }
  }

  /** Reads one stream to its end; returns null when it ended cleanly, else why it failed. */
  private String readOnce(boolean follow, boolean tty, LogPosition from) throws InterruptedException {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET)
        .path(LogRequest.path(id, follow, from))
        .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      current = response;
      if (restart) {
        return null;  // asked before the stream was there to close
      }
      int status = response.getStatusCode();
      InputStream body = response.getBody();
      if (status != 200) {
        String message = new String(body.readNBytes(4096), StandardCharsets.UTF_8).trim();
        if (status == 404) {
          return null;  // removed meanwhile
        }
        if (status == 501 || message.contains("does not support reading")) {
          throw new UnsupportedDriverException(message);
        }
        return "HTTP " + status + ": " + message;
      }
      DockerLogDecoder decoder = new DockerLogDecoder(maxLineBytes);
      if (tty) {
        decoder.readRaw(body, pipeline);
      } else {
        decoder.readMultiplexed(body, pipeline);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      if (e instanceof UnsupportedDriverException u) {
        throw u;
      }
      if (restart) {
        return null;
      }
      if (Thread.currentThread().isInterrupted() || stopped) {
        throw new InterruptedException("stopped while reading");
      }
      return e.toString();
    } finally {
      current = null;
    }
  }

  /** Whether the container runs; true when Docker cannot tell (the loop inspects again). */
  private boolean isRunning() {
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }

  private String shortId() {
    return pipeline.track().identity().shortId();
  }

  /** The container's logging driver cannot be read through the log API. */
  public static final class UnsupportedDriverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedDriverException(String message) {
      super(message);
    }
  }
}
