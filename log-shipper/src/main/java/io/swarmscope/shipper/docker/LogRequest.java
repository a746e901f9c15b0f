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
    if (since.timestampNanos() > 0) {
      sb.append("&since=").append(DockerTimestamps.queryForm(since.timestampNanos()));
    }
    return sb.toString();
  }
}
