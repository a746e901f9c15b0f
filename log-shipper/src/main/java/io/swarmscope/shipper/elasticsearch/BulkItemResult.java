package io.swarmscope.shipper.elasticsearch;

/**
 * One item of a bulk response, as far as the output needs it.
 *
 * @param status the item's HTTP status
 * @param errorType the error's type ({@code document_parsing_exception}, ...), null when none
 * @param errorReason the error's reason, null when none
 */
public record BulkItemResult(int status, String errorType, String errorReason) {}
