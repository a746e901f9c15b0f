package io.swarmscope.common.docker;

/**
 * A running container as the inventory keeps it: identity plus what a reader of the host's proc and
 * cgroup files needs. Deliberately small: no raw inspect response is kept.
 *
 * @param identity id, name, image and labels
 * @param pid the container's init process id as the host sees it
 * @param startedAtMillis when the container last started, in epoch milliseconds (0 if unknown)
 */
public record RunningContainer(ContainerIdentity identity, int pid, long startedAtMillis) {

  public String id() {
    return identity.id();
  }
}
