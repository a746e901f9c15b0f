package io.swarmscope.exporter.cgroup;

/**
 * Block I/O a cgroup did on one device since it was created.
 *
 * @param device {@code major:minor} as the kernel lists it
 */
public record BlockIo(String device, long readBytes, long writeBytes, long reads, long writes) {}
