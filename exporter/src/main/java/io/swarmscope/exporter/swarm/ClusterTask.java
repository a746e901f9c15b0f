package io.swarmscope.exporter.swarm;

/**
 * A Swarm task: which service, on which node, in which observed and desired state (lower case
 * Swarm task states: {@code new} ... {@code running}, {@code failed}, {@code shutdown}, ...).
 */
public record ClusterTask(String serviceId, String nodeId, String state, String desiredState) {}
