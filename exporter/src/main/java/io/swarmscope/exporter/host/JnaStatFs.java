package io.swarmscope.exporter.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.platform.linux.LibC;
import java.io.IOException;
import java.nio.file.Path;

/** statvfs(3) through JNA (shipped with OSHI), the same numbers node_exporter reads with statfs(2). */
public final class JnaStatFs implements StatFs {

  @Override
  public Result stat(Path mountPoint) throws IOException {
    LibC.Statvfs buf = new LibC.Statvfs();
    try {
      if (LibC.INSTANCE.statvfs(mountPoint.toString(), buf) != 0) {
        throw new IOException("statvfs " + mountPoint + " failed");
      }
    } catch (LastErrorException e) {
      throw new IOException("statvfs " + mountPoint + ": errno " + e.getErrorCode(), e);
    }
    return new Result(buf.f_bsize.longValue(), buf.f_blocks.longValue(), buf.f_bfree.longValue(),
        buf.f_bavail.longValue(), buf.f_files.longValue(), buf.f_ffree.longValue());
  }
}
