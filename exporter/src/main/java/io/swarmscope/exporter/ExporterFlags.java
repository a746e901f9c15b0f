package io.swarmscope.exporter;

import io.swarmscope.exporter.host.HostPaths;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exporter's command line, in node_exporter's style: {@code --flag=value} or
 * {@code --flag value}, {@code --collector.<name>} / {@code --no-collector.<name>} to switch a
 * collector, {@code --collector.<name>.<option>=value} for its options.
 *
 * @param listenAddress {@code host:port} or {@code :port} to serve on (default {@code :9100})
 * @param paths the proc, sys and root filesystems to read (default {@code /proc}, {@code /sys}, {@code /})
 * @param toggles explicit collector switches by name
 * @param disableDefaults {@code --collector.disable-defaults}: only explicitly enabled collectors run
 * @param options collector options, keyed without the leading dashes
 * @param dockerHost {@code --docker.host}, the Docker endpoint for Swarm identity (default the local socket)
 * @param webConfigFile {@code --web.config.file}: TLS and basic auth (exporter-toolkit format); "" for none
 */
public record ExporterFlags(String listenAddress, HostPaths paths, Map<String, Boolean> toggles,
    boolean disableDefaults, Map<String, String> options, String dockerHost, boolean help,
    boolean version, String webConfigFile) {

  public static final String USAGE = """
      usage: swarmscope-exporter [flags]
        --web.listen-address=:9100        address to serve /metrics and /-/healthy on
        --web.config.file=PATH            TLS and basic auth, exporter-toolkit format
                                          (docs/exporter.md); default: plain HTTP, no auth
        --path.procfs=/proc               procfs mountpoint
        --path.sysfs=/sys                 sysfs mountpoint
        --path.rootfs=/                   rootfs mountpoint (the host's / in a container)
        --docker.host=unix:///var/run/docker.sock
                                          Docker endpoint for Swarm identity, containers
                                          and cluster state; "" disables Docker
        --collector.<name>                enable a collector
        --no-collector.<name>             disable a collector
        --collector.disable-defaults      run only collectors enabled explicitly
        --collector.<name>.<option>=V     collector options (see docs/exporter.md)
        --version                         print the version and exit
      """;

  public static ExporterFlags parse(String... args) {
    String listen = ":9100";
    String procfs = "/proc";
    String sysfs = "/sys";
    String rootfs = "/";
    String docker = "unix:///var/run/docker.sock";
    String webConfig = "";
    boolean disableDefaults = false;
    boolean help = false;
    boolean version = false;
    Map<String, Boolean> toggles = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String key = arg.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      }
      switch (key) {
        case "help", "h" -> help = true;
        case "version" -> version = true;
        case "collector.disable-defaults" -> disableDefaults = true;
        default -> {
          if (key.startsWith("no-collector.") && value == null) {
            toggles.put(key.substring("no-collector.".length()), false);
            continue;
          }
          if (key.startsWith("collector.") && key.indexOf('.', "collector.".length()) < 0
              && value == null) {
            toggles.put(key.substring("collector.".length()), true);
            continue;
          }
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("flag --" + key + " needs a value");
            }
            value = args[++i];
          }
          switch (key) {
            case "web.listen-address" -> listen = value;
            case "web.config.file" -> webConfig = value;
            case "path.procfs" -> procfs = value;
            case "path.sysfs" -> sysfs = value;
            case "path.rootfs" -> rootfs = value;
            case "docker.host" -> docker = value;
            default -> {
              if (!key.startsWith("collector.")) {
                throw new IllegalArgumentException("unknown flag: --" + key);
              }
              options.put(key, value);
            }
          }
        }
      }
    }
    return new ExporterFlags(listen, new HostPaths(Path.of(procfs), Path.of(sysfs), Path.of(rootfs)),
        toggles, disableDefaults, options, docker, help, version, webConfig);
  }

  /** Whether a collector runs, given its default. */
  public boolean enabled(String collector, boolean byDefault) {
    Boolean explicit = toggles.get(collector);
    if (explicit != null) {
      return explicit;
    }
    return !disableDefaults && byDefault;
  }

  public String host() {
    int colon = listenAddress.lastIndexOf(':');
    String h = colon < 0 ? "" : listenAddress.substring(0, colon);
    return h.isEmpty() ? "0.0.0.0" : h.replace("[", "").replace("]", "");
  }

  public int port() {
    int colon = listenAddress.lastIndexOf(':');
    return Integer.parseInt(colon < 0 ? listenAddress : listenAddress.substring(colon + 1));
  }
}
