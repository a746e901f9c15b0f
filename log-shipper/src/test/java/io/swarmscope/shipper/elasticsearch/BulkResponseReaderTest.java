package io.swarmscope.shipper.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bulk response recorded from Elasticsearch 9.2 (ids shortened): stored, conflict, mapping error. */
class BulkResponseReaderTest {

  private static final String RESPONSE = """
      {"errors":true,"took":12,"items":[
      {"create":{"_index":"swarmscope-logs-2026.12.01","_id":"a-1-0","_version":1,
        "result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},
      {"create":{"_index":"swarmscope-logs-2026.12.01","_id":"a-1-1","status":409,
        "error":{"type":"version_conflict_engine_exception","reason":"[a-1-1]: version conflict, document already exists (current version [1])",
        "index_uuid":"x","shard":"0","index":"swarmscope-logs-2026.12.01"}}},
      {"create":{"_index":"swarmscope-logs-2026.12.01","_id":"a-2-0","status":400,
        "error":{"type":"document_parsing_exception","reason":"[1:525] failed to parse field [fields] of type [flattened]",
        "caused_by":{"type":"illegal_argument_exception","reason":"depth limit"}}}}
      ]}""";

  @Test
  void readsStatusAndErrorOfEveryItemInOrder() throws Exception {
    List<BulkItemResult> items = BulkResponseReader.items(
        new ByteArrayInputStream(RESPONSE.getBytes(StandardCharsets.UTF_8)));
    assertEquals(3, items.size());
    assertEquals(new BulkItemResult(201, null, null), items.get(0));
    assertEquals(409, items.get(1).status());
    assertEquals("version_conflict_engine_exception", items.get(1).errorType());
    assertEquals("document_parsing_exception", items.get(2).errorType());
    assertEquals("[1:525] failed to parse field [fields] of type [flattened]", items.get(2).errorReason());
    assertEquals(BulkOutcome.FALLBACK, BulkOutcome.of(400, items.get(2).errorType(), false));
    assertEquals(BulkOutcome.DUPLICATE, BulkOutcome.of(409, items.get(1).errorType(), false));
  }
}
