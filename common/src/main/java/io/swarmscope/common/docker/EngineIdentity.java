package io.swarmscope.common.docker;

/**
 * Who the local Docker engine is in the Swarm, as {@code docker info} tells it: the Swarm node id
 * (empty when the engine is not in a swarm), the engine's host name, and whether it is a manager.
 *
 * @param nodeId Swarm node id, empty outside a swarm
 * @param nodeName the engine's host name ({@code docker info} Name)
 * @param manager whether this node can answer cluster-wide queries (Swarm ControlAvailable)
 * @param engineVersion the engine's version, e.g. {@code 20.10.24}
 */
public record EngineIdentity(String nodeId, String nodeName, boolean manager, String engineVersion) {

  public EngineIdentity {
    nodeId = nodeId == null ? "" : nodeId;
    nodeName = nodeName == null ? "" : nodeName;
    engineVersion = engineVersion == null ? "" : engineVersion;
  }

  public boolean inSwarm() {
    return !nodeId.isEmpty();
  }
}
