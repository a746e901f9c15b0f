package io.swarmscope.shipper.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmscope.shipper.elasticsearch.ElasticsearchClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Elasticsearch node for integration tests: the minimal {@code integ-test-zip}
 * distribution from Maven Central, which maven-dependency-plugin unpacks into
 * {@code target/elasticsearch} (failsafe passes its location as {@value #HOME_PROPERTY}).
 *
 * <p>Elasticsearch refuses to run as root. When the tests run as root (CI does), the node runs as
 * the unprivileged user {@value #DEFAULT_USER} (created by {@code scripts/setup-host.sh}) through
 * {@code setpriv}; its config, data, logs and tmp live in a per-run directory owned by that user.
 *
 * <p>Use {@link #shared()}: one node per test JVM, started on first use (about 40 s), stopped by
 * a shutdown hook. A test may {@link #stop()} it and {@link #start()} it again: the restarted node
 * keeps its data directory and its HTTP port. With {@code CI=true} a node that cannot be started
 * fails the test; elsewhere the test is skipped.
 *
 * <p>The distribution lacks ILM, ingest, {@code GET /}, {@code PUT _data_stream}, {@code wildcard}
 * and {@code match_only_text}; {@code _bulk}, {@code _search}, {@code _count}, index templates,
 * {@code flattened}, data streams created on first write and {@code _cluster/health} work.
 */
public final class ElasticsearchNode implements AutoCloseable {

  /** Directory of the unpacked distribution (the one holding {@code bin/elasticsearch}). */
  public static final String HOME_PROPERTY = "swarmscope.elasticsearch.home";
  /** Parent directory for per-run node directories; defaults to {@code java.io.tmpdir}. */
  public static final String WORKDIR_PROPERTY = "swarmscope.elasticsearch.workdir";
  /** User the node runs as when the tests run as root. */
  public static final String USER_PROPERTY = "swarmscope.elasticsearch.user";
  /** A JDK (>= 21) for the node; defaults to this JVM's if it is recent enough. */
  public static final String JAVA_HOME_PROPERTY = "swarmscope.elasticsearch.java.home";
  /** Seconds to wait for the node to become yellow or green. */
  public static final String STARTUP_TIMEOUT_PROPERTY = "swarmscope.elasticsearch.startup.timeout";

  public static final String DEFAULT_USER = "swarmscope-es";
  static final String CLUSTER_NAME = "swarmscope-it";
  private static final Path FALLBACK_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ElasticsearchNode shared;
  private static Exception sharedFailure;

  private final Path home;
  private final Path javaHome;
  private final Path runDir;
  private final List<String> runAs;
  private final Duration startupTimeout;
  private final int httpPort;
  private final int transportPort;
  private final HttpClient http;
  private Process process;
  private ElasticsearchClient client;
  private boolean closed;

  /** The node shared by all tests of this JVM, started if it is not running. */
  public static synchronized ElasticsearchNode shared() {
    if (sharedFailure != null) {
      return unavailable(sharedFailure);
    }
    try {
      if (shared == null) {
        ElasticsearchNode node = create();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "elasticsearch-node-stop"));
        shared = node;
      }
      if (!shared.isRunning()) {
        shared.start();
      }
      return shared;
    } catch (Exception e) {
      sharedFailure = e;
      return unavailable(e);
    }
  }

  /** A new node of its own (not started), configured from the system properties. */
  public static ElasticsearchNode create() throws IOException {
    return new ElasticsearchNode(distributionHome(), nodeJavaHome(), runAsPrefix(),
        Duration.ofSeconds(Long.getLong(STARTUP_TIMEOUT_PROPERTY, 180)));
  }

  private static ElasticsearchNode unavailable(Exception e) {
    String message = "Elasticsearch node could not be started: " + e.getMessage();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message + " (CI=true: failing instead of skipping)", e);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  private ElasticsearchNode(Path home, Path javaHome, List<String> runAs, Duration startupTimeout)
      throws IOException {
    this.home = home;
    this.javaHome = javaHome;
    this.runAs = runAs;
    this.startupTimeout = startupTimeout;
    this.httpPort = freePort();
    int t = freePort();
    while (t == httpPort) {
      t = freePort();
    }
    this.transportPort = t;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Path base = Path.of(System.getProperty(WORKDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    this.runDir = Files.createTempDirectory(base, "node-");
    prepareRunDir();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts the node (on the same data directory and ports as before, if it ran already) and waits
   * until {@code _cluster/health} is yellow or green.
   *
   * @throws IOException if it does not come up in time; the message has the tail of its log
   */
  public synchronized void start() throws IOException {
    if (closed) {
      throw new IllegalStateException("node closed");
    }
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>(runAs);
    command.add(home.resolve("bin/elasticsearch").toString());
    for (String setting : List.of(
        "cluster.name=" + CLUSTER_NAME,
        "node.name=" + CLUSTER_NAME + "-0",
        "discovery.type=single-node",
        "xpack.security.enabled=false",
        "http.host=127.0.0.1",
        "transport.host=127.0.0.1",
        "http.port=" + httpPort,
        "transport.port=" + transportPort,
        "path.data=" + dataDir(),
        "path.logs=" + logsDir(),
        "cluster.routing.allocation.disk.threshold_enabled=false",
        "action.destructive_requires_name=false")) {
      command.add("-E");
      command.add(setting);
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(runDir.toFile());
    Map<String, String> env = pb.environment();
    env.remove("JAVA_HOME");
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.put("ES_JAVA_HOME", javaHome.toString());
    env.put("ES_PATH_CONF", runDir.resolve("config").toString());
    env.put("ES_TMPDIR", runDir.resolve("tmp").toString());
    env.put("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
    env.put("HOME", runDir.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
    process = pb.start();
    try {
      awaitHealthy();
    } catch (IOException | RuntimeException e) {
      killTree();
      throw e;
    }
  }

  /** Stops the node with SIGTERM and waits for it to exit (data and port are kept for start()). */
  public synchronized void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      process = null;
      return;
    }
    List<ProcessHandle> tree = tree(p.toHandle());
    // runuser would SIGKILL its child 2 s after forwarding SIGTERM: signal the JVMs themselves.
    ProcessHandle first = runAs.isEmpty() || runAs.get(0).endsWith("setpriv")
        ? p.toHandle()
        : p.toHandle().children().findFirst().orElse(p.toHandle());
    first.destroy();
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle h : tree) {
      long left = deadline - System.nanoTime();
      try {
        h.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // timed out (or interrupted): forced below
      }
    }
    killTree(tree);
    process = null;
  }

  /** Whether the node's process is alive (it may still be starting). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the node and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (client != null) {
      try {
        client.close();
      } catch (Exception e) {
        // ignore
      }
      client = null;
    }
    stop();
    deleteRecursively(runDir);
  }

  // ---------------------------------------------------------------- access

  /** {@code http://127.0.0.1:<port>} */
  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public URI uri() {
    return URI.create(url());
  }

  public int httpPort() {
    return httpPort;
  }

  /** A client for this node, shared by the callers (do not close it); it survives restarts. */
  public synchronized ElasticsearchClient client() {
    if (client == null) {
      try {
        client = ElasticsearchClients.create(uri());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return client;
  }

  public Path dataDir() {
    return runDir.resolve("data");
  }

  public Path logsDir() {
    return runDir.resolve("logs");
  }

  /** Makes everything written to indices or data streams matching {@code indexPattern} searchable. */
  public void refresh(String indexPattern) {
    Response r = request("POST",
        "/" + indexPattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    r.requireOk();
  }

  /** Refreshes, then counts the documents in {@code indexPattern} (0 when nothing matches). */
  public long count(String indexPattern) {
    refresh(indexPattern);
    Response r = request("GET",
        "/" + indexPattern + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
    return r.requireOk().json().path("count").asLong();
  }

  /** Counts the documents in {@code indexPattern} matching a Lucene query string. */
  public long count(String indexPattern, String queryString) {
    refresh(indexPattern);
    Response r = request("GET", "/" + indexPattern
        + "/_count?ignore_unavailable=true&allow_no_indices=true&q="
        + URLEncoder.encode(queryString, StandardCharsets.UTF_8), null);
    return r.requireOk().json().path("count").asLong();
  }

  /** Refreshes, then runs {@code POST <indexPattern>/_search} with {@code body}; the response. */
  public JsonNode search(String indexPattern, String body) {
    refresh(indexPattern);
    return request("POST", "/" + indexPattern
        + "/_search?ignore_unavailable=true&allow_no_indices=true", body).requireOk().json();
  }

  /** {@code GET path} as JSON; fails unless 2xx. */
  public JsonNode getJson(String path) {
    return request("GET", path, null).requireOk().json();
  }

  /** A raw request ({@code body} JSON, or NDJSON for paths containing {@code _bulk}; may be null). */
  public Response request(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      b.header("Content-Type",
          path.contains("_bulk") ? "application/x-ndjson" : "application/json");
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(method + " " + path, r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The last {@code lines} lines of the node's console output (all of its starts). */
  public String logTail(int lines) {
    Path log = consoleLog();
    if (!Files.exists(log)) {
      return "(no log at " + log + ")";
    }
    Deque<String> tail = new ArrayDeque<>();
    try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
      all.forEach(l -> {
        tail.addLast(l);
        if (tail.size() > lines) {
          tail.removeFirst();
        }
      });
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
    return String.join("\n", tail);
  }

  /** An HTTP answer. */
  public record Response(String request, int status, String body) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public Response requireOk() {
      if (!ok()) {
        throw new AssertionError(request + " answered " + status + ": " + body);
      }
      return this;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  // ---------------------------------------------------------------- internals

  private Path consoleLog() {
    return logsDir().resolve("console.log");
  }

  private void awaitHealthy() throws IOException {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Elasticsearch exited with status " + process.exitValue()
            + " before answering; its log ends with:\n" + logTail(40));
      }
      HttpRequest req = HttpRequest.newBuilder(
              URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
          .timeout(Duration.ofSeconds(10)).GET().build();
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          String status = JSON.readTree(r.body()).path("status").asText();
          if (status.equals("green") || status.equals("yellow")) {
            return;
          }
        }
        last = r.statusCode() + " " + r.body();
      } catch (ConnectException e) {
        last = "connection refused";
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Elasticsearch", e);
      }
      sleep(500);
    }
    throw new IOException("Elasticsearch at " + url() + " was not yellow or green after "
        + startupTimeout.toSeconds() + " s (last: " + last + "); its log ends with:\n"
        + logTail(40));
  }

  private void killTree() {
    if (process != null) {
      killTree(tree(process.toHandle()));
      process = null;
    }
  }

  private static void killTree(List<ProcessHandle> tree) {
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // gave up
      }
    }
  }

  private static List<ProcessHandle> tree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    root.descendants().forEach(all::add);
    return all;
  }

  /** config (copied from the distribution, jvm.options patched), data, logs, tmp. */
  private void prepareRunDir() throws IOException {
    Path config = runDir.resolve("config");
    copyRecursively(home.resolve("config"), config);
    Path jvmOptions = config.resolve("jvm.options");
    String logs = logsDir().toString();
    // The distribution writes gc.log and hs_err files relative to the working directory, which
    // is ES_HOME (not writable by the node's user): point them at the run's logs directory.
    String options = Files.readString(jvmOptions)
        .replace("file=gc.log", "file=" + logs + "/gc.log")
        .replace("-XX:ErrorFile=hs_err_pid%p.log", "-XX:ErrorFile=" + logs + "/hs_err_pid%p.log");
    Files.writeString(jvmOptions, options + "\n-XX:HeapDumpPath=" + logs + "\n");
    for (String dir : List.of("data", "logs", "tmp")) {
      Files.createDirectories(runDir.resolve(dir));
    }
    if (!runAs.isEmpty()) {
      String user = System.getProperty(USER_PROPERTY, DEFAULT_USER);
      run(List.of("chown", "-R", user + ":", runDir.toString()));
      // Fail early, with a reason, if the user cannot use the distribution or the run directory.
      List<String> check = new ArrayList<>(runAs);
      check.addAll(List.of("test", "-x", home.resolve("bin/elasticsearch").toString(),
          "-a", "-r", home.resolve("lib").toString(), "-a", "-w", dataDir().toString(),
          "-a", "-x", javaHome.resolve("bin/java").toString()));
      if (run(check) != 0) {
        throw new IOException("user " + user + " cannot run " + home + "/bin/elasticsearch with "
            + javaHome + " or write " + runDir + " (check the permissions of their parents)");
      }
    }
  }

  private static Path distributionHome() throws IOException {
    String configured = System.getProperty(HOME_PROPERTY);
    Path home = null;
    if (configured != null && !configured.isBlank()) {
      home = Path.of(configured);
    } else {
      // Run from an IDE: look where the Maven build unpacks it.
      for (Path dir : List.of(Path.of("target/elasticsearch"),
          Path.of("log-shipper/target/elasticsearch"))) {
        if (Files.isDirectory(dir)) {
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "elasticsearch-*")) {
            for (Path p : ds) {
              home = p.toAbsolutePath();
            }
          }
        }
      }
    }
    if (home == null || !Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
      throw new IOException("no Elasticsearch distribution at "
          + (home == null ? "target/elasticsearch/elasticsearch-*" : home)
          + " (set -D" + HOME_PROPERTY + "; `./mvnw verify` unpacks it in pre-integration-test)");
    }
    return home;
  }

  private static Path nodeJavaHome() throws IOException {
    String configured = System.getProperty(JAVA_HOME_PROPERTY);
    List<Path> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    } else {
      if (Runtime.version().feature() >= 21) {
        candidates.add(Path.of(System.getProperty("java.home")));
      }
      candidates.add(FALLBACK_JDK);
    }
    for (Path p : candidates) {
      if (Files.isExecutable(p.resolve("bin/java"))) {
        return p.toRealPath();
      }
    }
    throw new IOException("no JDK >= 21 for Elasticsearch among " + candidates
        + " (set -D" + JAVA_HOME_PROPERTY + ")");
  }

  /** Empty when not root; else the command prefix that drops to the unprivileged user. */
  private static List<String> runAsPrefix() throws IOException {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      return List.of();
    }
    String user = System.getProperty(USER_PROPERTY, DEFAULT_USER);
    String userId = output(List.of("id", "-u", user));
    String groupId = output(List.of("id", "-g", user));
    if (userId == null || groupId == null) {
      throw new IOException("Elasticsearch refuses to run as root and user " + user
          + " does not exist: run scripts/setup-host.sh (or useradd --system --user-group " + user
          + ")");
    }
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, "setpriv"))) {
        return List.of(dir + "/setpriv", "--reuid=" + userId, "--regid=" + groupId,
            "--clear-groups", "--");
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "runuser"))) {
        return List.of(dir + "/runuser", "-u", user, "--");
      }
    }
    throw new IOException("neither setpriv nor runuser found: cannot drop root for Elasticsearch");
  }

  private static int run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Trimmed stdout, or null when the command fails. */
  private static String output(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && !out.isEmpty() ? out : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
