package io.swarmscope.exporter.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Names block devices by {@code major:minor} from {@code <procfs>/diskstats} ({@code 8:0} becomes
 * {@code /dev/sda}, cAdvisor's {@code device} label). The table is reread when an unknown device
 * shows up, at most once a minute; a device still unknown is named by its numbers.
 *
 * <p>Used from the scrape thread only; not thread-safe.
 */
public final class BlockDeviceNames {

  private static final long REFRESH_MS = 60_000;

  private final Path diskstats;
  private final Clock clock;
  private Map<String, String> names = Map.of();
  private boolean loaded;
  private long loadedAt;

  public BlockDeviceNames(Path diskstats, Clock clock) {
    this.diskstats = diskstats;
    this.clock = clock;
  }

  public String name(String majorMinor) {
    String n = names.get(majorMinor);
    if (n == null && (!loaded || clock.millis() - loadedAt >= REFRESH_MS)) {
      load();
      n = names.get(majorMinor);
    }
    return n != null ? n : majorMinor;
  }

  private void load() {
    loaded = true;
    loadedAt = clock.millis();
    Map<String, String> next = new HashMap<>();
    try {
      for (String line : KernelText.read(diskstats).split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3) {
          next.put(f[0] + ":" + f[1], "/dev/" + f[2]);
        }
      }
    } catch (IOException e) {
      // No diskstats (unusual procfs): devices are named by number.
    }
    names = next;
  }
}
