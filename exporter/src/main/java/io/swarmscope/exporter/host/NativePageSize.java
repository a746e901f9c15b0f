package io.swarmscope.exporter.host;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The kernel's memory page size, from getpagesize(2) through JNA, as node_exporter takes it from
 * {@code os.Getpagesize()}; the host and the container share the kernel, so this is the host's.
 */
public final class NativePageSize {

  private interface LibC extends Library {
    int getpagesize();
  }

  private NativePageSize() {}

  /** Asks the C library once; callers keep the value. */
  public static long query() {
    return Native.load("c", LibC.class).getpagesize();
  }
}
