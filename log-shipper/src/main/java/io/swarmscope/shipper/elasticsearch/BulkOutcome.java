package io.swarmscope.shipper.elasticsearch;

/**
 * What to do with one item of a bulk response, from its HTTP status and error type.
 */
public enum BulkOutcome {
  /** Stored (201, or 200). */
  STORED,
  /** The id exists: the line was stored before (a re-send); never a second copy. */
  DUPLICATE,
  /** Send again later: the cluster is busy, failing, or refusing for a reason an operator fixes. */
  RETRY,
  /** The document's fields clash with the mapping: send it again in the fallback shape. */
  FALLBACK,
  /** Refused for good (counted as dropped, logged with the reason). */
  REJECTED;

  /**
   * @param status the item's HTTP status
   * @param errorType the item's error type (e.g. {@code document_parsing_exception}), or null
   * @param alreadyFallback whether the document already is in the fallback shape
   */
  public static BulkOutcome of(int status, String errorType, boolean alreadyFallback) {
    if (status == 200 || status == 201) {
      return STORED;
    }
    if (status == 409) {
      return DUPLICATE;
    }
    if (status == 429 || status >= 500 || status == 401 || status == 403 || status == 404
        || status == 408) {
      // 401/403/404: credentials, privileges or a missing template or index. Dropping lines
      // for a configuration error would be silent loss; they wait in Docker's logs until fixed.
      return RETRY;
    }
    String type = errorType == null ? "" : errorType;
    if (!alreadyFallback && (type.contains("parsing_exception") || type.contains("mapper")
        || type.equals("illegal_argument_exception"))) {
      return FALLBACK;
    }
    return REJECTED;
  }
}
