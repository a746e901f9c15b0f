package io.swarmscope.exporter.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;

/**
 * adjtimex(2) through JNA, called with {@code modes = 0} so that it only reads.
 *
 * <p>Direct-mapped into a plain {@code long[]} like {@link JnaStatFs}. The buffer is
 * {@code struct timex} on 64-bit Linux (glibc and musl alike): {@code modes} (int, padded), then
 * longs and ints each in an 8-byte slot, 208 bytes in all. The ints ({@code modes}, {@code status},
 * {@code shift}, {@code tai}) are the low half of their slot on little-endian machines, and are
 * read as such (amd64 and arm64, the platforms the image is built for); the slot indices are below.
 *
 * <p>Thread-safe: each call uses its own buffer.
 */
public final class JnaKernelClock implements KernelClock {

  private static final int OFFSET = 1;
  private static final int FREQ = 2;
  private static final int MAXERROR = 3;
  private static final int ESTERROR = 4;
  private static final int STATUS = 5;
  private static final int CONSTANT = 6;
  // 7 precision, 8 tolerance, 9 and 10 time (tv_sec, tv_usec): not exported.
  private static final int TICK = 11;
  private static final int PPSFREQ = 12;
  private static final int JITTER = 13;
  private static final int SHIFT = 14;
  private static final int STABIL = 15;
  private static final int JITCNT = 16;
  private static final int CALCNT = 17;
  private static final int ERRCNT = 18;
  private static final int STBCNT = 19;
  private static final int TAI = 20;
  /** sizeof(struct timex) on LP64 is 208 bytes; a zeroed buffer means modes = 0, read only. */
  private static final int BUFFER_LONGS = 26;
  private static final int EPERM = 1;

  static {
    Native.register("c");
  }

  private static native int adjtimex(long[] buf) throws LastErrorException;

  @Override
  public Timex read() throws IOException {
    long[] b = new long[BUFFER_LONGS];
    int state;
    try {
      state = adjtimex(b);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EPERM) {
        throw new PermissionDeniedException("adjtimex: operation not permitted");
      }
      throw new IOException("adjtimex: errno " + e.getErrorCode(), e);
    }
    return new Timex(state, b[OFFSET], b[FREQ], b[MAXERROR], b[ESTERROR], (int) b[STATUS],
        b[CONSTANT], b[TICK], b[PPSFREQ], b[JITTER], (int) b[SHIFT], b[STABIL], b[JITCNT],
        b[CALCNT], b[ERRCNT], b[STBCNT], (int) b[TAI]);
  }
}
