package io.swarmscope.exporter.swarm;

import java.util.List;

/** The manager-side Swarm calls the cluster state is built from; implemented over docker-java. */
public interface SwarmApi {

  /** This engine's node id and whether it is a manager. */
  record Self(String nodeId, boolean manager) {}

  Self self();

  List<ClusterNode> nodes();

  List<ClusterService> services();

  List<ClusterTask> tasks();
}
