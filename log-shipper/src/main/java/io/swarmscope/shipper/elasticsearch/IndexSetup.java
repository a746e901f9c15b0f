package io.swarmscope.shipper.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.LifecycleOperationMode;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.elasticsearch.ilm.GetIlmStatusResponse;
import co.elastic.clients.elasticsearch.indices.PutIndexTemplateResponse;
import co.elastic.clients.elasticsearch.nodes.NodesInfoResponse;
import co.elastic.clients.transport.TransportException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the shipper's {@code setup} command does to an Elasticsearch cluster: checks that it
 * answers, installs the ILM policy {@value #POLICY_NAME} where the cluster has ILM, and
 * installs (or overwrites) the index template {@value #TEMPLATE_NAME} for the daily
 * {@code swarmscope-logs-*} indices ({@link DailyIndex}), referencing the policy when it was
 * installed.
 *
 * <p>Plain daily indices, not a data stream: a data stream takes {@code create} only into its
 * current write index, so a line re-sent after a rollover would be stored a second time. The
 * policy therefore never rolls over; it deletes an index {@code retention} after the day in its
 * name ({@value #ORIGINATION_SETTING}), so a day of old lines shipped late is kept as long.
 *
 * <p>The template is the classpath resource {@value #TEMPLATE_RESOURCE}, copied at build time
 * from {@code config/elasticsearch/index-template.json}: the bundle's setup job installs the same
 * file under the same name, so the two never compete (two templates with overlapping patterns and
 * equal priority would be refused).
 *
 * <p>Clusters without a feature (the minimal distribution has no ILM, no {@code GET /}) are
 * handled by degrading with a clear log line and a note in the report; every other failure
 * (unreachable, refused credentials, missing privileges, a template Elasticsearch rejects) is
 * thrown. Running it again is harmless: everything is overwritten with the same content.
 */
public final class IndexSetup {

  public static final String TEMPLATE_NAME = "swarmscope-logs";
  public static final String POLICY_NAME = "swarmscope-logs";
  public static final String TEMPLATE_RESOURCE = "elasticsearch/index-template.json";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);
  static final String LIFECYCLE_SETTING = "index.lifecycle.name";
  /** Age counted from the date in the index name, not from when the index was created. */
  static final String ORIGINATION_SETTING = "index.lifecycle.parse_origination_date";
  /** The major version of elasticsearch-java; the server's must match it. */
  static final int CLIENT_MAJOR = 9;

  private static final Logger log = LoggerFactory.getLogger(IndexSetup.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What {@link #run()} did.
   *
   * @param templateInstalled the index template was accepted (acknowledged)
   * @param lifecyclePolicyInstalled the ILM policy was installed and the template references it
   * @param notes what was found and done, one line each, for the command's output
   */
  public record SetupReport(boolean templateInstalled, boolean lifecyclePolicyInstalled,
      List<String> notes) {

    public SetupReport {
      notes = List.copyOf(notes);
    }
  }

  private final ElasticsearchClient client;
  private final Duration retention;

  /** Setup with the default retention of {@link #DEFAULT_RETENTION}. */
  public IndexSetup(ElasticsearchClient client) {
    this(client, DEFAULT_RETENTION);
  }

  /**
   * @param retention how long after the day in its name a daily index is deleted (whole
   *     seconds, > 0)
   */
  public IndexSetup(ElasticsearchClient client, Duration retention) {
    this.client = Objects.requireNonNull(client, "client");
    if (retention.isNegative() || retention.isZero() || retention.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("retention must be a positive whole number of seconds, got "
          + retention);
    }
    this.retention = retention;
  }

  /**
   * Runs the setup.
   *
   * @throws IOException if the cluster cannot be reached or refuses the policy or the template
   */
  public SetupReport run() throws IOException {
    List<String> notes = new ArrayList<>();
    checkReachable(notes);
    boolean lifecycle = installLifecyclePolicy(notes);
    boolean template = installTemplate(lifecycle, notes);
    return new SetupReport(template, lifecycle, notes);
  }

  // ---------------------------------------------------------------- steps

  private void checkReachable(List<String> notes) throws IOException {
    HealthResponse health;
    try {
      health = client.cluster().health();
    } catch (IOException | RuntimeException e) {
      throw new IOException("Elasticsearch does not answer _cluster/health: " + describe(e), e);
    }
    String version = clusterVersion();
    String line = "Elasticsearch " + (version == null ? "(version unknown)" : version)
        + ", cluster '" + health.clusterName() + "' is "
        + health.status().jsonValue() + " with " + health.numberOfNodes() + " node(s)";
    note(notes, line);
    if (health.status() == HealthStatus.Red) {
      warn(notes, "the cluster is red: some shards are unassigned, writes may fail");
    }
    if (version != null && !version.startsWith(CLIENT_MAJOR + ".")) {
      warn(notes, "the cluster runs " + version + " but this shipper's client is for "
          + CLIENT_MAJOR + ".x: requests may be refused");
    }
  }

  /** The version from {@code GET /}, else from {@code GET _nodes/_local}; null if neither works. */
  private String clusterVersion() {
    try {
      return client.info().version().number();
    } catch (IOException | RuntimeException e) {
      log.debug("GET / failed ({}); trying _nodes/_local", describe(e));
    }
    try {
      NodesInfoResponse nodes = client.nodes().info(r -> r.nodeId("_local").metric("_none"));
      return nodes.nodes().values().stream().map(n -> n.version()).filter(Objects::nonNull)
          .findFirst().orElse(null);
    } catch (IOException | RuntimeException e) {
      log.debug("GET _nodes/_local failed ({}); cluster version unknown", describe(e));
      return null;
    }
  }

  private boolean installLifecyclePolicy(List<String> notes) throws IOException {
    GetIlmStatusResponse status;
    try {
      status = client.ilm().getStatus();
    } catch (IOException | RuntimeException e) {
      if (!isMissingApi(e)) {
        throw new IOException("cannot read the ILM status (GET _ilm/status): " + describe(e), e);
      }
      warn(notes, "this cluster has no ILM (minimal distribution?): the template is installed"
          + " without a lifecycle policy; delete old daily indices yourself (" + describe(e) + ")");
      return false;
    }
    String policy = policyJson(retention);
    try {
      client.ilm().putLifecycle(p -> p.name(POLICY_NAME).withJson(new StringReader(policy)));
    } catch (IOException | RuntimeException e) {
      if (isMissingApi(e)) {
        warn(notes, "this cluster has no ILM policy API (minimal distribution?): the template is"
            + " installed without a lifecycle policy; delete old daily indices yourself ("
            + describe(e) + ")");
        return false;
      }
      throw new IOException("cannot install the ILM policy " + POLICY_NAME + ": " + describe(e), e);
    }
    note(notes, "ILM policy " + POLICY_NAME + " installed: a daily index is deleted "
        + esDuration(retention) + " after the day in its name");
    LifecycleOperationMode mode = status.operationMode();
    if (mode != null && mode != LifecycleOperationMode.Running) {
      warn(notes, "ILM is " + mode.jsonValue() + " on this cluster: nothing rolls over or is"
          + " deleted until it is started again (POST _ilm/start)");
    }
    return true;
  }

  private boolean installTemplate(boolean withLifecycle, List<String> notes) throws IOException {
    String template = templateJson(withLifecycle);
    PutIndexTemplateResponse response;
    try {
      response = client.indices().putIndexTemplate(
          t -> t.name(TEMPLATE_NAME).withJson(new StringReader(template)));
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot install the index template " + TEMPLATE_NAME + ": "
          + describe(e), e);
    }
    if (!response.acknowledged()) {
      warn(notes, "index template " + TEMPLATE_NAME + " sent but not acknowledged by the cluster"
          + " in time; run setup again to make sure");
      return false;
    }
    note(notes, "index template " + TEMPLATE_NAME + " installed for swarmscope-logs-*"
        + (withLifecycle ? " with lifecycle policy " + POLICY_NAME : " without lifecycle policy"));
    return true;
  }

  // ---------------------------------------------------------------- bodies

  /** The template resource, with {@value #LIFECYCLE_SETTING} and the origination date set or removed. */
  public static String templateJson(boolean withLifecycle) {
    ObjectNode template;
    try (InputStream in = IndexSetup.class.getClassLoader().getResourceAsStream(TEMPLATE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + TEMPLATE_RESOURCE + " missing from the jar");
      }
      template = (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TEMPLATE_RESOURCE, e);
    }
    ObjectNode settings = template.withObjectProperty("template").withObjectProperty("settings");
    if (withLifecycle) {
      settings.put(LIFECYCLE_SETTING, POLICY_NAME);
      settings.put(ORIGINATION_SETTING, true);
    } else {
      settings.remove(LIFECYCLE_SETTING);
      settings.remove(ORIGINATION_SETTING);
      if (settings.get("index") instanceof ObjectNode index) {
        index.remove("lifecycle");
      }
    }
    return template.toString();
  }

  /**
   * The ILM policy: delete a daily index {@code retention} after the day in its name. No rollover:
   * a retry must find its line's index where the first copy went.
   */
  public static String policyJson(Duration retention) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode policy = root.putObject("policy");
    policy.putObject("_meta").put("description",
        "swarmscope container logs: daily indices named after the lines' own day, deleted "
        + esDuration(retention) + " after that day");
    ObjectNode phases = policy.putObject("phases");
    ObjectNode delete = phases.putObject("delete");
    delete.put("min_age", esDuration(retention));
    delete.putObject("actions").putObject("delete");
    return root.toString();
  }

  /** An Elasticsearch time value in the largest exact unit: 14d, 36h, 90m, 45s. */
  static String esDuration(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  // ---------------------------------------------------------------- errors

  /**
   * Whether {@code e} says the endpoint does not exist on this cluster (as opposed to a refusal or
   * a network problem). Elasticsearch answers an unknown path with 400 "no handler found for uri",
   * a known path with an unknown method with 405; proxies and serverless may use 404, 410 or 501.
   */
  static boolean isMissingApi(Exception e) {
    int status;
    String reason;
    if (e instanceof ElasticsearchException ee) {
      status = ee.status();
      reason = ee.error() != null && ee.error().reason() != null ? ee.error().reason() : "";
    } else if (e instanceof TransportException te) {
      status = te.statusCode();
      reason = String.valueOf(te.getMessage());
    } else {
      return false;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    return switch (status) {
      case 404, 405, 410, 501 -> true;
      case 400 -> r.contains("no handler found") || r.contains("incorrect http method")
          || r.contains("not available") || r.contains("unrecognized") || r.contains("unknown");
      default -> false;
    };
  }

  static String describe(Exception e) {
    if (e instanceof ElasticsearchException ee) {
      String reason = ee.error() != null ? ee.error().reason() : null;
      return "HTTP " + ee.status() + (reason != null ? ": " + reason : "");
    }
    if (e instanceof TransportException te) {
      return "HTTP " + te.statusCode() + ": " + te.getMessage();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static void note(List<String> notes, String line) {
    log.info(line);
    notes.add(line);
  }

  private static void warn(List<String> notes, String line) {
    log.warn(line);
    notes.add(line);
  }
}
