package io.swarmscope.exporter.cgroup;

/** Counters of one network interface as {@code /proc/<pid>/net/dev} lists them. */
public record InterfaceCounters(String name, long rxBytes, long rxPackets, long rxErrors,
    long rxDropped, long txBytes, long txPackets, long txErrors, long txDropped) {}
