package io.swarmscope.exporter.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * statvfs(3) through JNA, the same numbers node_exporter reads with statfs(2).
 *
 * <p>The call is direct-mapped into a plain {@code long[]}: JNA's {@code Structure} and interface
 * proxies cost tens of microseconds per call, more than the system call. The buffer layout is
 * {@code struct statvfs} on 64-bit Linux (glibc and musl alike): seven unsigned longs
 * (bsize, frsize, blocks, bfree, bavail, files, ffree) first, 112 bytes in all.
 *
 * <p>Thread-safe: each call uses its own buffer.
 */
public final class JnaStatFs implements StatFs {

  private static final int BSIZE = 0;
  private static final int BLOCKS = 2;
  private static final int BFREE = 3;
  private static final int BAVAIL = 4;
  private static final int FILES = 5;
  private static final int FFREE = 6;
  /** Larger than {@code sizeof(struct statvfs)} (112 bytes on LP64), so the kernel never writes past it. */
  private static final int BUFFER_LONGS = 16;

  static {
    Native.register("c");
  }

  private static native int statvfs(String path, long[] buf) throws LastErrorException;

  @Override
  public Result stat(Path mountPoint) throws IOException {
    long[] buf = new long[BUFFER_LONGS];
    try {
      if (statvfs(mountPoint.toString(), buf) != 0) {
        throw new IOException("statvfs " + mountPoint + " failed");
      }
    } catch (LastErrorException e) {
      throw new IOException("statvfs " + mountPoint + ": errno " + e.getErrorCode(), e);
    }
    return new Result(buf[BSIZE], buf[BLOCKS], buf[BFREE], buf[BAVAIL], buf[FILES], buf[FFREE]);
  }
}
