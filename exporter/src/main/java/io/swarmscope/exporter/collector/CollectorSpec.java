package io.swarmscope.exporter.collector;

import java.util.function.Function;

/**
 * A collector as the flags see it: its name ({@code --collector.<name>}), whether it runs by
 * default, and how to build it from the exporter's context.
 */
public record CollectorSpec(String name, boolean enabledByDefault,
    Function<CollectorContext, Collector> factory) {}
