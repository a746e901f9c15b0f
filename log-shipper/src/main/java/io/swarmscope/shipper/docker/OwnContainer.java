package io.swarmscope.shipper.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the id of the container this process runs in, from the bind mount Docker makes for
 * {@code /etc/hostname} ({@code .../containers/<id>/hostname} in {@code /proc/self/mountinfo}).
 * Works with cgroup v1 and v2 and whatever hostname the service sets.
 */
public final class OwnContainer {

  private static final Pattern ID = Pattern.compile("/containers/([0-9a-f]{64})/hostname");

  private OwnContainer() {}

  /** The container id, or empty when not in a Docker container. */
  public static String id(Path mountinfo) {
    try {
      for (String line : Files.readAllLines(mountinfo)) {
        Matcher m = ID.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }
}
