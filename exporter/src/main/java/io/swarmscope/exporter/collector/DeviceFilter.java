package io.swarmscope.exporter.collector;

import java.util.regex.Pattern;

/**
 * node_exporter's device filter ({@code device_filter.go}): a device is ignored when it matches the
 * exclude pattern or, if an include pattern is given, does not match it. Patterns match anywhere in
 * the name, like Go's {@code MatchString}; anchor them with {@code ^...$} to match whole names.
 *
 * <p>Immutable and thread-safe.
 */
final class DeviceFilter {

  private final Pattern exclude;
  private final Pattern include;

  private DeviceFilter(Pattern exclude, Pattern include) {
    this.exclude = exclude;
    this.include = include;
  }

  /**
   * Builds the filter from {@code collector.<name>.device-exclude} and {@code .device-include}.
   * Giving both is an error, as in node_exporter. Giving only an include drops the default exclude
   * (node_exporter 1.5 refuses that combination for diskstats; accepting it is what users mean).
   *
   * @param defaultExclude the exclude pattern when none is given, or {@code ""} for none
   */
  static DeviceFilter fromOptions(CollectorContext context, String collector, String defaultExclude) {
    String excludeKey = "collector." + collector + ".device-exclude";
    String includeKey = "collector." + collector + ".device-include";
    String include = context.option(includeKey, "");
    String explicitExclude = context.option(excludeKey, null);
    if (!include.isEmpty() && explicitExclude != null && !explicitExclude.isEmpty()) {
      throw new IllegalArgumentException("--" + excludeKey + " and --" + includeKey
          + " are mutually exclusive");
    }
    String exclude = !include.isEmpty() ? "" : explicitExclude != null ? explicitExclude : defaultExclude;
    return new DeviceFilter(compile(exclude), compile(include));
  }

  boolean ignored(String device) {
    return (exclude != null && exclude.matcher(device).find())
        || (include != null && !include.matcher(device).find());
  }

  private static Pattern compile(String regex) {
    return regex.isEmpty() ? null : Pattern.compile(regex);
  }
}
