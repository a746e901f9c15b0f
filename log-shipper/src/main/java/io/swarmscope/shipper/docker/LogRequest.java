package io.swarmscope.shipper.docker;

import io.swarmscope.shipper.pipeline.LogPosition;

/**
 * The log API request for one container: always both streams and timestamps; {@code follow}
 * while it runs; {@code since} the resume point with nanoseconds (docker-java's typed command
 * only takes whole seconds, which would re-read or skip lines within the second).
 */
public final class LogRequest {

  private LogRequest() {}

  public static String path(String containerId, boolean follow, LogPosition since) {
    StringBuilder sb = new StringBuilder("/containers/").append(containerId)
        .append("/logs?stdout=1&stderr=1&timestamps=1&follow=").append(follow ? 1 : 0);
    long from = sinceNanos(since);
    if (from > 0) {
      sb.append("&since=").append(DockerTimestamps.queryForm(from));
    }
    return sb.toString();
  }

  /**
   * How far before the resume point a resumed read starts. Docker copies stdout and stderr with
   * separate goroutines, so its file is not in timestamp order (a line can be a millisecond older
   * than the line before it), while {@code since} filters by timestamp: a read from exactly the
   * checkpoint's timestamp would skip a line written after the checkpoint but stamped before it.
   * Starting earlier returns it; the pipeline numbers the window's lines as the first read did and
   * skips those the checkpoint covers, so nothing is sent twice.
   */
  public static final long RESUME_WINDOW_NANOS = 2_000_000_000L;

  /** The {@code since} of a read that resumes after {@code position}; 0 reads from the start. */
  public static long sinceNanos(LogPosition position) {
    long ts = position.timestampNanos();
    return ts <= 0 ? 0 : Math.max(1, ts - RESUME_WINDOW_NANOS);
  }
}
