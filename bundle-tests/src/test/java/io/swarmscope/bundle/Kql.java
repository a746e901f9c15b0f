package io.swarmscope.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translates the Kibana Query Language (KQL) of the bundle's Kibana saved searches and links into
 * Elasticsearch query DSL the way Kibana does, so that their queries can be run on a real
 * Elasticsearch without Kibana: {@code field:value} is a {@code match}, {@code field:"a b"} a
 * {@code match_phrase}, a value with {@code *} a {@code wildcard} (Kibana sends a
 * {@code query_string} on that one field, which is the same for keyword fields), {@code or},
 * {@code and}, {@code not} and parentheses (also around values: {@code field:(a or b)}) are
 * {@code bool} queries. Free text without a field and ranges are not needed and refused.
 */
final class Kql {

  private final List<String> tokens;
  private int pos;

  private Kql(String query) {
    this.tokens = tokenize(query);
  }

  /** The query DSL (the object under {@code "query"}) for a KQL query; empty means match_all. */
  static ObjectNode toDsl(String kql) {
    ObjectNode dsl = Bundle.JSON.createObjectNode();
    if (kql.isBlank()) {
      dsl.putObject("match_all");
      return dsl;
    }
    Kql parser = new Kql(kql);
    ObjectNode q = parser.or(null);
    if (parser.pos != parser.tokens.size()) {
      throw new IllegalArgumentException("unexpected '" + parser.tokens.get(parser.pos) + "' in KQL: " + kql);
    }
    return q;
  }

  private ObjectNode or(String field) {
    List<ObjectNode> parts = new ArrayList<>(List.of(and(field)));
    while (keyword("or")) {
      parts.add(and(field));
    }
    if (parts.size() == 1) {
      return parts.getFirst();
    }
    ObjectNode q = Bundle.JSON.createObjectNode();
    ObjectNode bool = q.putObject("bool");
    parts.forEach(bool.putArray("should")::add);
    bool.put("minimum_should_match", 1);
    return q;
  }

  private ObjectNode and(String field) {
    List<ObjectNode> parts = new ArrayList<>(List.of(not(field)));
    while (keyword("and")) {
      parts.add(not(field));
    }
    if (parts.size() == 1) {
      return parts.getFirst();
    }
    ObjectNode q = Bundle.JSON.createObjectNode();
    ArrayNode filter = q.putObject("bool").putArray("filter");
    parts.forEach(filter::add);
    return q;
  }

  private ObjectNode not(String field) {
    if (keyword("not")) {
      ObjectNode q = Bundle.JSON.createObjectNode();
      q.putObject("bool").putArray("must_not").add(not(field));
      return q;
    }
    return primary(field);
  }

  private ObjectNode primary(String field) {
    String t = next();
    if (t.equals("(")) {
      ObjectNode q = or(field);
      expect(")");
      return q;
    }
    if (field == null) {
      // field:value or field:(values)
      expect(":");
      if (peek("(")) {
        next();
        ObjectNode q = or(t);
        expect(")");
        return q;
      }
      return value(t, next());
    }
    return value(field, t);
  }

  private static ObjectNode value(String field, String token) {
    ObjectNode q = Bundle.JSON.createObjectNode();
    if (token.startsWith("\"")) {
      q.putObject("match_phrase").put(field, token.substring(1, token.length() - 1).replace("\\\"", "\""));
    } else if (token.contains("*")) {
      q.putObject("wildcard").putObject(field).put("value", token);
    } else {
      q.putObject("match").put(field, token);
    }
    return q;
  }

  private boolean keyword(String word) {
    if (pos < tokens.size() && tokens.get(pos).toLowerCase(Locale.ROOT).equals(word)) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean peek(String token) {
    return pos < tokens.size() && tokens.get(pos).equals(token);
  }

  private String next() {
    if (pos >= tokens.size()) {
      throw new IllegalArgumentException("KQL ends too early: " + tokens);
    }
    return tokens.get(pos++);
  }

  private void expect(String token) {
    String t = next();
    if (!t.equals(token)) {
      throw new IllegalArgumentException("expected '" + token + "', found '" + t + "' in KQL " + tokens);
    }
  }

  private static List<String> tokenize(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ':') {
        out.add(String.valueOf(c));
        i++;
      } else if (c == '"') {
        int j = i + 1;
        while (j < s.length() && (s.charAt(j) != '"' || s.charAt(j - 1) == '\\')) {
          j++;
        }
        if (j >= s.length()) {
          throw new IllegalArgumentException("unterminated quote in KQL: " + s);
        }
        out.add(s.substring(i, j + 1));
        i = j + 1;
      } else {
        int j = i;
        while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "():\"".indexOf(s.charAt(j)) < 0) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      }
    }
    return out;
  }
}
