package io.swarmscope.exporter.swarm;

import java.util.List;

/**
 * Evaluates Swarm placement constraints ({@code node.role==manager},
 * {@code node.labels.zone!=b}, ...) against a node, to count the nodes a global service should
 * run on. Keys Swarm knows but this does not ({@code node.platform.*} variants aside) are treated
 * as satisfied, so a node is never wrongly excluded.
 */
public final class PlacementConstraints {

  private PlacementConstraints() {}

  public static boolean matches(List<String> constraints, ClusterNode node) {
    for (String c : constraints) {
      boolean negate;
      int op = c.indexOf("!=");
      if (op >= 0) {
        negate = true;
      } else {
        op = c.indexOf("==");
        negate = false;
        if (op < 0) {
          continue;
        }
      }
      String key = c.substring(0, op).trim();
      String want = c.substring(op + 2).trim();
      String have = value(key, node);
      if (have == null) {
        continue;
      }
      if (have.equalsIgnoreCase(want) == negate) {
        return false;
      }
    }
    return true;
  }

  /** The node's value for a constraint key; "" for an absent label, null for an unknown key. */
  private static String value(String key, ClusterNode node) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    if (k.startsWith("node.labels.")) {
      return node.labels().getOrDefault(key.substring("node.labels.".length()), "");
    }
    if (k.startsWith("engine.labels.")) {
      return node.engineLabels().getOrDefault(key.substring("engine.labels.".length()), "");
    }
    return switch (k) {
      case "node.id" -> node.id();
      case "node.hostname" -> node.hostname();
      case "node.role" -> node.role();
      case "node.platform.os" -> node.os();
      case "node.platform.arch" -> node.arch();
      default -> null;
    };
  }
}
