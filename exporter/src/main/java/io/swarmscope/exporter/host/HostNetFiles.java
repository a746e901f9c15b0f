package io.swarmscope.exporter.host;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's per-namespace network files ({@code net/dev}, {@code net/snmp}, ...) as the host
 * sees them. {@code <procfs>/net} is the reader's own network namespace, which for a Swarm service
 * (no {@code pid: host}, no host network) is the container's; {@code <procfs>/1/net} is PID 1's,
 * the host's. The host's copy is read when {@code <procfs>/1/net} is usable at all, and the own
 * namespace only when it is not (hidepid, or a procfs of the reader's own PID namespace).
 *
 * <p>Stateless and thread-safe.
 */
public final class HostNetFiles {

  private final Path hostNamespace;
  private final Path ownNamespace;

  public HostNetFiles(HostPaths paths) {
    this.hostNamespace = paths.proc("1/net");
    this.ownNamespace = paths.proc("net");
  }

  /** The content of {@code net/<name>}; throws when neither namespace has it. */
  public String read(String name) throws IOException {
    try {
      return ProcFiles.read(hostNamespace.resolve(name));
    } catch (NoSuchFileException | AccessDeniedException e) {
      if (hostNamespaceUsable()) {
        // The host has no such file (e.g. IPv6 disabled): the container's copy would be a lie.
        throw e;
      }
      return ProcFiles.read(ownNamespace.resolve(name));
    }
  }

  /** Like {@link #read}, but empty when the file does not exist, e.g. snmp6 with IPv6 disabled. */
  public Optional<String> readIfPresent(String name) throws IOException {
    try {
      return Optional.of(read(name));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private boolean hostNamespaceUsable() {
    return Files.isDirectory(hostNamespace) && Files.isReadable(hostNamespace);
  }
}
