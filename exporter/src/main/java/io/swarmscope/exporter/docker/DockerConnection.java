package io.swarmscope.exporter.docker;

/**
 * The state of the exporter's Docker watcher, for {@code swarmscope_docker_*}.
 *
 * @param up whether the event stream is subscribed and the last (re)connect's resync succeeded
 * @param lastResyncMillis when the container inventory was last reread in full, epoch ms (0: never)
 */
public record DockerConnection(boolean up, long lastResyncMillis) {}
