package io.swarmscope.shipper.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the items of a {@code _bulk} response with Jackson's streaming parser: for each item its
 * status and, when it failed, the error's type and reason; everything else is skipped. A 5000-item
 * response is read without building its object tree (the typed client's deserialiser was the
 * output thread's main cost).
 */
public final class BulkResponseReader {

  private static final JsonFactory JSON = new JsonFactory();

  private BulkResponseReader() {}

  public static List<BulkItemResult> items(InputStream body) throws IOException {
    List<BulkItemResult> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("bulk response is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("items".equals(field) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            p.nextToken();  // the action name: create, index, ...
            p.nextToken();  // its object
            out.add(item(p));
            p.nextToken();  // end of the item's wrapper object
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return out;
  }

  private static BulkItemResult item(JsonParser p) throws IOException {
    int status = 0;
    String type = null;
    String reason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "status" -> status = p.getIntValue();
        case "error" -> {
          if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if ("type".equals(f)) {
                type = p.getText();
              } else if ("reason".equals(f)) {
                reason = p.getText();
              } else {
                p.skipChildren();
              }
            }
          } else {
            reason = p.getText();
          }
        }
        default -> p.skipChildren();
      }
    }
    return new BulkItemResult(status, type, reason);
  }
}
