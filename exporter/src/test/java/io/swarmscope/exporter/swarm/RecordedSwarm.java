package io.swarmscope.exporter.swarm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper: Docker API answers recorded on a real three-manager swarm (engine 20.10.24,
 * Docker-in-Docker nodes) under {@code src/test/resources/fixtures/swarm/}, read into docker-java's
 * models as the client would. States: {@code healthy} (three managers), {@code leader-lost} (the
 * leader stopped, a new one elected) and {@code no-quorum} (two of three managers stopped: the node
 * list fails with "The swarm does not have a leader", so there is no node list).
 */
public final class RecordedSwarm {

  private static final Path DIR = Path.of("src/test/resources/fixtures/swarm");
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RecordedSwarm() {}

  /** The {@code GET /info} answer of manager node-2 in {@code state}. */
  public static Info info(String state) {
    return read("info-" + state + ".json", Info.class);
  }

  /** The {@code GET /nodes} answer through node-2 in {@code state} (no file for no-quorum). */
  public static List<SwarmNode> nodes(String state) {
    return Arrays.asList(read("nodes-" + state + ".json", SwarmNode[].class));
  }

  /** The manager state node-2's exporter keeps in {@code state}, as the watcher builds it. */
  public static SwarmManagerSnapshot manager(String state, long takenAtMillis) {
    SwarmApi.Self self = DockerSwarmApi.self(info(state));
    if (state.equals("no-quorum")) {
      return SwarmManagerSnapshot.withoutLeader(self, takenAtMillis);
    }
    return SwarmManagerSnapshot.withLeader(self,
        nodes(state).stream().map(DockerSwarmApi::node).toList(), takenAtMillis);
  }

  private static <T> T read(String name, Class<T> type) {
    try {
      return JSON.readValue(DIR.resolve(name).toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
