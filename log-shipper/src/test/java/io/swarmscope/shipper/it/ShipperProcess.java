package io.swarmscope.shipper.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged shipper ({@code target/swarmscope-log-shipper.jar}, built by the package phase
 * before failsafe runs) as a separate process with the image's JVM flags, so tests can SIGKILL
 * it and read its resident memory.
 */
public final class ShipperProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private ShipperProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static ShipperProcess start(List<String> args, Path log) throws IOException {
    Path jar = Path.of("target", "swarmscope-log-shipper.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the package phase first");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "@jvm.flags", "-jar", jar.toString()));
    for (String a : args) {
      if (!a.startsWith("--metrics.address=")) {
        cmd.add(a);
      }
    }
    cmd.add("--metrics.address=127.0.0.1:" + port);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("MALLOC_ARENA_MAX", "1");
    return new ShipperProcess(pb.start(), port);
  }

  public MetricsText metrics() {
    return MetricsText.scrape(port);
  }

  public boolean answers() {
    return !metrics().text().isEmpty();
  }

  /** SIGKILL: no shutdown hook, no last checkpoint write. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Resident set size in KiB, from /proc. */
  public long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
