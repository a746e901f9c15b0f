package io.swarmscope.exporter.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a network namespace's interface counters from {@code <procfs>/<pid>/net/dev}: reading it
 * through a container's init pid gives that container's interfaces. Loopback is left out, as
 * cAdvisor does. Stateless and thread-safe.
 */
public final class NetDevReader {

  private NetDevReader() {}

  public static List<InterfaceCounters> read(Path netDev) throws IOException {
    return parse(KernelText.read(netDev));
  }

  static List<InterfaceCounters> parse(String text) {
    List<InterfaceCounters> out = new ArrayList<>(2);
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.indexOf('|') >= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (name.equals("lo")) {
        continue;
      }
      long[] v = new long[16];
      int n = 0;
      int pos = colon + 1;
      int len = line.length();
      while (n < 16 && pos < len) {
        while (pos < len && line.charAt(pos) == ' ') {
          pos++;
        }
        int start = pos;
        while (pos < len && line.charAt(pos) != ' ') {
          pos++;
        }
        if (pos > start) {
          v[n++] = Long.parseLong(line, start, pos, 10);
        }
      }
      if (n == 16) {
        out.add(new InterfaceCounters(name, v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11]));
      }
    }
    return out;
  }
}
