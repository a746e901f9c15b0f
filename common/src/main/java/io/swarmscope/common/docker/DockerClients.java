package io.swarmscope.common.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.time.Duration;

/**
 * Builds docker-java clients on the httpclient5 transport, the one set-up both programs use.
 * The API version is negotiated by the engine (no pinned version), so older engines answer too.
 */
public final class DockerClients {

  /**
   * How long a request that answers at once (info, list, inspect) may wait for the engine's next
   * bytes: a hung engine or socket proxy then fails the request, which is logged and retried,
   * instead of blocking its thread forever. Streams (events, logs) use clients without it.
   */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private DockerClients() {}

  /**
   * A client for {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock} or
   * {@code tcp://proxy:2375}). Reads no environment or config files, so behaviour depends only on
   * the argument. Response timeout is unbounded because log and event streams stay open.
   */
  public static DockerClient create(String dockerHost) {
    return create(dockerHost, 64);
  }

  /**
   * As {@link #create(String)}, with a pool of {@code maxConnections}: every open log or event
   * stream holds one connection, so a client that follows N containers needs more than N.
   */
  public static DockerClient create(String dockerHost, int maxConnections) {
    DefaultDockerClientConfig config = config(dockerHost);
    return DockerClientImpl.getInstance(config, http(config, maxConnections, null));
  }

  /**
   * A client for requests that answer at once, not for streams: a request whose answer stalls
   * for {@code responseTimeout} fails (see {@link #REQUEST_TIMEOUT}).
   */
  public static DockerClient createForRequests(String dockerHost, int maxConnections, Duration responseTimeout) {
    DefaultDockerClientConfig config = config(dockerHost);
    return DockerClientImpl.getInstance(config, http(config, maxConnections, responseTimeout));
  }

  /**
   * The raw HTTP transport for {@code dockerHost}, for streams docker-java's typed commands do not
   * expose exactly (e.g. {@code since} with nanoseconds on the log endpoint).
   */
  public static DockerHttpClient httpClient(String dockerHost, int maxConnections) {
    return http(config(dockerHost), maxConnections, null);
  }

  private static DefaultDockerClientConfig config(String dockerHost) {
    return DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .withDockerTlsVerify(false)
        .build();
  }

  private static DockerHttpClient http(DefaultDockerClientConfig config, int maxConnections,
      Duration responseTimeout) {
    ApacheDockerHttpClient.Builder builder = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(maxConnections)
        .connectionTimeout(Duration.ofSeconds(5));
    if (responseTimeout != null) {
      builder.responseTimeout(responseTimeout);
    }
    return builder.build();
  }
}
