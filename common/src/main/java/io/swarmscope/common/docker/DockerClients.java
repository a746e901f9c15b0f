package io.swarmscope.common.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/**
 * Builds docker-java clients on the httpclient5 transport, the one set-up both programs use.
 * The API version is negotiated by the engine (no pinned version), so older engines answer too.
 */
public final class DockerClients {

  private DockerClients() {}

  /**
   * A client for {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock} or
   * {@code tcp://proxy:2375}). Reads no environment or config files, so behaviour depends only on
   * the argument. Response timeout is unbounded because log and event streams stay open.
   */
  public static DockerClient create(String dockerHost) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .withDockerTlsVerify(false)
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
