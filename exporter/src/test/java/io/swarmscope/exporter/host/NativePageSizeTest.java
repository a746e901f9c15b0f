package io.swarmscope.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativePageSizeTest {

  @Test
  void isAPowerOfTwoOfAtLeast4KiB() {
    long pageSize = NativePageSize.query();
    assertTrue(pageSize >= 4096, "page size " + pageSize);
    assertEquals(0, pageSize & (pageSize - 1), "page size " + pageSize);
  }
}
