package io.swarmscope.shipper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The shipper's settings, from environment variables {@code SWARMSCOPE_<NAME>} (what a stack
 * file sets) overridden by flags {@code --<name>=value} where {@code name} is the variable's
 * name in lower case with '.' for '_' ({@code --elasticsearch.url} is
 * {@code SWARMSCOPE_ELASTICSEARCH_URL}). Secrets only from files: a password given as a value is
 * refused.
 */
public final class ShipperConfig {

  private static final String PREFIX = "SWARMSCOPE_";
  private final Map<String, String> values;
  private final String command;

  private ShipperConfig(Map<String, String> values, String command) {
    this.values = values;
    this.command = command;
  }

  public static ShipperConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> v = new HashMap<>();
    env.forEach((k, val) -> {
      if (k.startsWith(PREFIX)) {
        v.put(k.substring(PREFIX.length()), val);
      }
    });
    String command = "run";
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help")) {
        command = "help";
      } else if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
        String value = eq < 0 ? "true" : a.substring(eq + 1);
        v.put(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value);
      } else {
        command = a;
      }
    }
    for (String k : v.keySet()) {
      if (k.endsWith("PASSWORD") || k.endsWith("API_KEY")) {
        throw new IllegalArgumentException(PREFIX + k + ": secrets are read from files only; set "
            + PREFIX + k + "_FILE to a file holding it (a Docker secret)");
      }
    }
    return new ShipperConfig(v, command);
  }

  public String command() {
    return command;
  }

  public String get(String name, String fallback) {
    String s = values.get(name);
    return s == null || s.isBlank() ? fallback : s.trim();
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name)).filter(s -> !s.isBlank()).map(String::trim);
  }

  public int integer(String name, int fallback) {
    return Integer.parseInt(get(name, Integer.toString(fallback)));
  }

  public long bytes(String name, long fallback) {
    String s = get(name, Long.toString(fallback)).toLowerCase(Locale.ROOT);
    long mult = 1;
    if (s.endsWith("kib") || s.endsWith("k")) {
      mult = 1024;
    } else if (s.endsWith("mib") || s.endsWith("m")) {
      mult = 1024 * 1024;
    } else if (s.endsWith("gib") || s.endsWith("g")) {
      mult = 1024L * 1024 * 1024;
    }
    return Long.parseLong(s.replaceAll("[a-z]+$", "")) * mult;
  }

  public boolean flag(String name, boolean fallback) {
    return Boolean.parseBoolean(get(name, Boolean.toString(fallback)));
  }

  public List<String> list(String name) {
    String s = get(name, "");
    List<String> out = new ArrayList<>();
    for (String p : s.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }

  public Optional<Path> path(String name) {
    return optional(name).map(Path::of);
  }

  public static String usage() {
    return String.join("\n", Arrays.asList(
        "usage: swarmscope-log-shipper [run|setup] [--name=value ...]",
        "Every setting is an environment variable SWARMSCOPE_<NAME> or a flag --<name>:",
        "  --docker.host=unix:///var/run/docker.sock   Docker engine (or a read-only socket proxy)",
        "  --outputs=stdout                 comma list: elasticsearch, logstash, stdout, null",
        "  --elasticsearch.url=http://127.0.0.1:9200",
        "  --elasticsearch.username=...     --elasticsearch.password.file=/run/secrets/...",
        "  --elasticsearch.ca.file=...      CA certificate (PEM) for https",
        "  --elasticsearch.index.prefix=swarmscope-logs   daily indices <prefix>-YYYY.MM.DD (UTC, the line's own time)",
        "  --elasticsearch.batch.events=5000 --elasticsearch.batch.bytes=5m --elasticsearch.batch.linger.ms=200",
        "  --elasticsearch.in.flight=1      bulk requests at once, acknowledged in order (2 needs a larger heap)",
        "  --logstash.address=127.0.0.1:5000 --logstash.protocol=json   json (JSON lines), syslog5424, syslog3164",
        "  --logstash.transport=tcp         tcp, tls, udp; --logstash.framing=octet|newline (tcp/tls; default",
        "                                   octet for syslog, newline for json)",
        "  --logstash.ca.file=... --logstash.cert.file=... --logstash.key.file=...   TLS (PEM; key PKCS#8)",
        "  --logstash.tls.verify.hostname=true  --logstash.facility=local0  --logstash.syslog.bom=false",
        "  --logstash.udp.max.bytes=...     default 8192 (syslog5424), 1024 (syslog3164), 65507 (json)",
        "  --logstash.resend.bytes=1m       re-sent after a broken connection (at least once)",
        "  --logstash.batch.events=2000 --logstash.batch.bytes=1m --logstash.batch.linger.ms=20",
        "  --queue.bytes=16m                per output; readers stop when it is full",
        "  --output.block.ms=10000          with several outputs: how long one full output may hold",
        "                                   back the others before it is detached and re-read later",
        "  --checkpoint.dir=/var/lib/swarmscope-shipper",
        "  --metrics.address=:9101          /metrics and /-/healthy",
        "  --web.config.file=...            TLS and basic auth for them (exporter-toolkit format)",
        "  --node.name=...                  default: the Docker engine's hostname",
        "  --max.line.bytes=256k            longer lines are cut with a marker",
        "  --multiline=true                 group stack traces; --multiline.pattern=REGEX start pattern",
        "  --multiline.flush.ms=500",
        "  --include.services=a,b --include.stacks=s --include.labels=k=v --exclude.labels=k",
        "  --ship.own.logs=false",
        "  --service.rate.limit=0           lines (events) per second per service on this node; 0 = off;",
        "                                   more are dropped, counted (reason rate_limited) and logged",
        "  --service.rate.limit.overrides=shop_api=200,batch=0   per service name (0 = unlimited)",
        "setup: installs the index template (and ILM policy where the cluster has ILM), then exits."));
  }
}
