package io.swarmscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A swarm of N Docker-in-Docker managers on this machine (docs/test-bed.md): each node is a
 * container {@code bed-node-<i>} of the image {@code local/dind:1} (scripts/build-dind-image.sh)
 * with its own hostname, engine, {@code /var/lib/docker} (volume {@code bed-node-<i>-docker}) and a
 * fixed address on the network {@code bed-net}, so that it keeps its Raft address across a stop.
 * Each inner engine listens on {@code tcp://<address>:2375} without TLS: the bed network is a
 * private bridge of this machine, and the test drives every engine with the machine's docker CLI
 * ({@code docker -H}), which is also how the stack files are read for {@code docker stack deploy}.
 * The inner engines map {@code host-gateway} to the bed network's gateway, i.e. this machine.
 *
 * <p>{@link #start} first removes what an earlier, interrupted run left, then builds the image if
 * needed, starts the nodes, forms the swarm (the first node initialises, the others join as
 * managers) and loads images into every node. {@link #close} removes the nodes, their volumes and
 * the network; a shutdown hook does it too when the JVM is stopped. Not thread-safe: one test
 * class drives it.
 */
final class SwarmBed implements AutoCloseable {

  static final String NETWORK = "bed-net";
  static final String SUBNET = "10.213.0.0/24";
  static final String GATEWAY = "10.213.0.1";
  static final String IMAGE = "local/dind:1";
  /** On everything the bed creates on the machine's engine, for the clean-up of leftovers. */
  static final String LABEL = "io.swarmscope.bed=true";

  /** One node: its container (and hostname) and its fixed address on the bed network. */
  record Node(int index, String name, String ip) {
    String engine() {
      return "tcp://" + ip + ":2375";
    }

    String volume() {
      return name + "-docker";
    }
  }

  private final List<Node> nodes;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::removeAll, "swarm-bed-teardown");

  private SwarmBed(int size) {
    this.nodes = IntStream.rangeClosed(1, size)
        .mapToObj(i -> new Node(i, "bed-node-" + i, "10.213.0." + (10 + i))).toList();
  }

  /** Brings up {@code size} managers in one swarm with {@code images} loaded into every node. */
  static SwarmBed start(int size, List<String> images) {
    SwarmBed bed = new SwarmBed(size);
    Runtime.getRuntime().addShutdownHook(bed.shutdownHook);
    bed.removeAll(); // what an earlier, interrupted run left
    bed.closed.set(false);
    try {
      bed.bringUp(images);
    } catch (RuntimeException | Error e) {
      bed.close();
      throw e;
    }
    return bed;
  }

  List<Node> nodes() {
    return nodes;
  }

  Node node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + name));
  }

  private void bringUp(List<String> images) {
    host(600, "scripts/build-dind-image.sh");
    host(60, "docker", "network", "create", "--subnet", SUBNET, "--gateway", GATEWAY, "--label", LABEL, NETWORK);
    for (Node n : nodes) {
      host(120, "docker", "run", "-d", "--name", n.name(), "--hostname", n.name(), "--label", LABEL,
          "--network", NETWORK, "--ip", n.ip(),
          // What a nested engine needs without --privileged (refused here: no CAP_SYS_RESOURCE).
          "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE", "--security-opt", "seccomp=unconfined",
          "--security-opt", "apparmor=unconfined", "--security-opt", "systempaths=unconfined",
          "--device-cgroup-rule", "a *:* rwm", "--tmpfs", "/run", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
          "--mount", "type=volume,source=" + n.volume() + ",target=/var/lib/docker,volume-label=" + LABEL,
          IMAGE, "sh", "-c",
          // / shared, as on systemd hosts: the exporter binds / with rslave propagation.
          "mount --make-rshared / && exec dockerd --storage-driver=overlay2 --cgroup-parent=/dind-" + n.name()
              + " --host-gateway-ip=" + GATEWAY + " -H unix:///var/run/docker.sock -H tcp://0.0.0.0:2375 --tls=false");
    }
    nodes.forEach(n -> awaitEngine(n, Duration.ofSeconds(90)));
    Node first = nodes.getFirst();
    docker(first, 60, "swarm", "init", "--advertise-addr", first.ip());
    String token = docker(first, 30, "swarm", "join-token", "-q", "manager").strip();
    for (Node n : nodes.subList(1, nodes.size())) {
      docker(n, 120, "swarm", "join", "--token", token, first.ip() + ":2377");
    }
    await("all " + nodes.size() + " nodes Ready", Duration.ofSeconds(120), () -> {
      Tools.Exec e = tryDocker(first, 30, "node", "ls", "--format", "{{.Status}}");
      return e.exitCode() == 0 && e.output().strip().split("\n").length == nodes.size()
          && e.output().lines().allMatch("Ready"::equals) ? true : null;
    });
    loadImages(images);
  }

  /** {@code docker save | docker load} of the machine's images into every node, in parallel. */
  void loadImages(List<String> images) {
    String save = "docker save " + String.join(" ", images);
    List<CompletableFuture<Tools.Exec>> loads = new ArrayList<>();
    for (Node n : nodes) {
      // Once more on failure: the machine is shared, and a pipe of 1 GB is a long time to be lucky.
      loads.add(CompletableFuture.supplyAsync(() -> {
        List<String> command = List.of("bash", "-euo", "pipefail", "-c", save + " | docker -H " + n.engine() + " load -q");
        Tools.Exec e = Tools.run(command, 600);
        return e.exitCode() == 0 ? e : Tools.run(command, 600);
      }));
    }
    for (int i = 0; i < nodes.size(); i++) {
      Tools.Exec e = loads.get(i).join();
      String node = nodes.get(i).name();
      assertEquals(0, e.exitCode(), () -> "loading images into " + node + " failed:\n" + e.output());
    }
  }

  /** The docker CLI against a node's engine; fails the test unless it exits 0. */
  String docker(Node node, int timeoutSeconds, String... args) {
    Tools.Exec e = tryDocker(node, timeoutSeconds, args);
    assertEquals(0, e.exitCode(), () -> "docker -H " + node.engine() + " " + String.join(" ", args)
        + " failed:\n" + e.output());
    return e.output();
  }

  Tools.Exec tryDocker(Node node, int timeoutSeconds, String... args) {
    return tryDocker(node, Map.of(), timeoutSeconds, args);
  }

  /** Runs in the repository root (stack files are read from there), with {@code env} added. */
  Tools.Exec tryDocker(Node node, Map<String, String> env, int timeoutSeconds, String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", node.engine()));
    command.addAll(List.of(args));
    return Tools.run(command, env, timeoutSeconds);
  }

  /** Stops the node's container (its engine stops its containers first): the node goes Down. */
  void stop(Node node) {
    host(120, "docker", "stop", "-t", "20", node.name());
  }

  /** Kills the node's container (SIGKILL, like a power cut): nothing on it gets to shut down. */
  void kill(Node node) {
    host(60, "docker", "kill", node.name());
  }

  /** Starts a stopped node's container again and waits for its engine. */
  void startAgain(Node node) {
    host(60, "docker", "start", node.name());
    awaitEngine(node, Duration.ofSeconds(90));
  }

  /** The current Raft leader as the given manager sees it, or null if it sees none. */
  Node leaderSeenBy(Node manager) {
    Tools.Exec e = tryDocker(manager, 15, "node", "ls", "--format", "{{.Hostname}} {{.ManagerStatus}}");
    if (e.exitCode() != 0) {
      return null;
    }
    return e.output().lines().filter(l -> l.endsWith(" Leader")).map(l -> node(l.split(" ")[0]))
        .findFirst().orElse(null);
  }

  /** The node's Swarm node id. */
  String nodeId(Node node) {
    return docker(node, 30, "info", "--format", "{{.Swarm.NodeID}}").strip();
  }

  private void awaitEngine(Node n, Duration timeout) {
    await("the engine of " + n.name(), timeout,
        () -> tryDocker(n, 10, "version", "--format", "{{.Server.Version}}").exitCode() == 0 ? true : null);
  }

  /** Leaves the bed running when the JVM exits (for a look); the next {@link #start} removes it. */
  void keep() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  @Override
  public void close() {
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs removeAll, which is idempotent
    }
  }

  /** Removes every bed node, volume and the network, from this run or an earlier one. */
  private void removeAll() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    String containers = Tools.run(List.of("docker", "ps", "-aq", "--filter", "label=" + LABEL), 30).output().strip();
    if (!containers.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f", "-v"));
      rm.addAll(List.of(containers.split("\\s+")));
      Tools.run(rm, 120);
    }
    String volumes = Tools.run(List.of("docker", "volume", "ls", "-q", "--filter", "label=" + LABEL), 30).output().strip();
    if (!volumes.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("docker", "volume", "rm", "-f"));
      rm.addAll(List.of(volumes.split("\\s+")));
      Tools.run(rm, 120);
    }
    Tools.run(List.of("docker", "network", "rm", NETWORK), 30);
    removeCgroups();
  }

  /**
   * The inner engines' cgroups ({@code /dind-bed-node-<i>/<id>} in every controller) outlive a
   * killed node: remove the empty ones. Best effort, and only where this JVM runs beside the
   * engine as root; a cgroup still in use refuses the rmdir and stays.
   */
  private static void removeCgroups() {
    Path root = Path.of("/sys/fs/cgroup");
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> controllers = Files.list(root)) {
      for (Path controller : controllers.toList()) {
        try (Stream<Path> beds = Files.list(controller)) {
          for (Path bed : beds.filter(p -> p.getFileName().toString().startsWith("dind-bed-node-")).toList()) {
            try (Stream<Path> children = Files.list(bed)) {
              children.filter(Files::isDirectory).forEach(SwarmBed::rmdir);
            }
            rmdir(bed);
          }
        } catch (IOException | UncheckedIOException e) {
          // not a directory, or not ours to list
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // no cgroup filesystem here
    }
  }

  private static void rmdir(Path dir) {
    try {
      Files.delete(dir);
    } catch (IOException e) {
      // in use, or not allowed: left as it is
    }
  }

  private static void host(int timeoutSeconds, String... command) {
    Tools.succeed(List.of(command), timeoutSeconds);
  }

  static <T> T await(String what, Duration timeout, java.util.function.Supplier<T> probe) {
    return Tools.awaitOrFail(what, timeout, probe, () -> "");
  }
}
