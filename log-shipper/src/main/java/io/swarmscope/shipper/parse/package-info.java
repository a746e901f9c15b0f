/**
 * From a line's bytes to an event's message and level: {@link LineDecoder} (bytes to text),
 * {@link MultilineGrouper} (lines to records), {@link MessageParser} (record text to message,
 * level and fields) and {@link LevelNormalizer} (written level to {@link LogLevel}).
 */
package io.swarmscope.shipper.parse;
