package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code netclass} collector: the properties of every network interface in
 * {@code <sysfs>/class/net/<device>/} — {@code node_network_up} (operstate "up"),
 * {@code node_network_info{address,broadcast,duplex,ifalias,operstate}},
 * {@code node_network_speed_bytes}, carrier, MTU, flags and the rest, with node_exporter 1.5's
 * names, help texts and types. sysfs must be the host's (mounted from the host), which shows the
 * host's network namespace: the bridge, the physical interfaces and every container's veth.
 *
 * <p>Read as node_exporter's procfs library reads it: one read of at most 128 bytes per file,
 * trimmed; integers in Go's base-0 syntax ({@code flags} is printed as {@code 0x1003}). A file
 * that is missing or refuses the read ({@code speed} of a down interface or of {@code lo} gives
 * EINVAL) leaves its series out; a value that is not a number does too. Unlike node_exporter,
 * which lists each device's directory and reads every file in it, only the files that become
 * series are opened, one open and one read each. A device that vanishes between the listing and
 * its reads (a container stopping) is left out of this scrape rather than failing it.
 *
 * <p>Options: {@code collector.netclass.ignored-devices} (regex, default {@code ^$}) and
 * {@code collector.netclass.ignore-invalid-speed} (default false: a speed of -1 is exported as
 * -125000, as node_exporter does). Called by one scrape at a time.
 */
public final class NetclassCollector implements Collector {

  public static final String IGNORED_DEVICES_OPTION = "collector.netclass.ignored-devices";
  public static final String IGNORE_INVALID_SPEED_OPTION = "collector.netclass.ignore-invalid-speed";

  /** node_exporter's {@code SysReadFile} buffer: longer values are cut, as there. */
  private static final int READ_SIZE = 128;

  /**
   * The numeric files and the series they become, in node_exporter's order. Counter names carry
   * {@code _total}; {@code speed} is converted to bytes separately.
   */
  private enum Property {
    ADDRESS_ASSIGN_TYPE("addr_assign_type", "address_assign_type", false),
    CARRIER("carrier", "carrier", false),
    CARRIER_CHANGES("carrier_changes", "carrier_changes_total", true),
    CARRIER_UP("carrier_up_count", "carrier_up_changes_total", true),
    CARRIER_DOWN("carrier_down_count", "carrier_down_changes_total", true),
    DEVICE_ID("dev_id", "device_id", false),
    DORMANT("dormant", "dormant", false),
    FLAGS("flags", "flags", false),
    IFACE_ID("ifindex", "iface_id", false),
    IFACE_LINK("iflink", "iface_link", false),
    IFACE_LINK_MODE("link_mode", "iface_link_mode", false),
    MTU("mtu", "mtu_bytes", false),
    NAME_ASSIGN_TYPE("name_assign_type", "name_assign_type", false),
    NET_DEV_GROUP("netdev_group", "net_dev_group", false),
    SPEED("speed", "speed_bytes", false),
    TRANSMIT_QUEUE_LENGTH("tx_queue_len", "transmit_queue_length", false),
    PROTOCOL_TYPE("type", "protocol_type", false);

    final String file;
    final String metric;
    final boolean counter;

    Property(String file, String metric, boolean counter) {
      this.file = file;
      this.metric = metric;
      this.counter = counter;
    }
  }

  private final Path classNet;
  private final Pattern ignoredDevices;
  private final boolean ignoreInvalidSpeed;
  private final ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);

  public NetclassCollector(CollectorContext context) {
    this(context.paths(), Pattern.compile(context.option(IGNORED_DEVICES_OPTION, "^$")),
        Boolean.parseBoolean(context.option(IGNORE_INVALID_SPEED_OPTION, "false")));
  }

  NetclassCollector(HostPaths paths, Pattern ignoredDevices, boolean ignoreInvalidSpeed) {
    this.classNet = paths.sys("class/net");
    this.ignoredDevices = ignoredDevices;
    this.ignoreInvalidSpeed = ignoreInvalidSpeed;
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    List<String> devices = devices();
    Family up = Family.gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.",
        "device");
    Family info = Family.gauge("node_network_info",
        "Non-numeric data from /sys/class/net/<iface>, value is always 1.",
        "device", "address", "broadcast", "duplex", "operstate", "ifalias");
    Property[] properties = Property.values();
    Family[] numeric = new Family[properties.length];
    for (Property p : properties) {
      String name = "node_network_" + p.metric;
      String help = "Network device property: " + p.metric;
      numeric[p.ordinal()] = p.counter ? Family.counter(name, help, "device") : Family.gauge(name, help, "device");
    }
    for (String device : devices) {
      Path dir = classNet.resolve(device);
      String operstate = read(dir, "operstate");
      if (operstate == null && !Files.isDirectory(dir)) {
        continue;
      }
      up.add("up".equals(operstate) ? 1 : 0, device);
      info.add(1, device, orEmpty(read(dir, "address")), orEmpty(read(dir, "broadcast")),
          orEmpty(read(dir, "duplex")), orEmpty(operstate), orEmpty(read(dir, "ifalias")));
      for (Property p : properties) {
        Long value = parseGoInt(read(dir, p.file));
        if (value == null) {
          continue;
        }
        if (p == Property.SPEED) {
          // Some drivers print -1 for an unknown speed; node_exporter converts it like any other.
          if (value < 0 && ignoreInvalidSpeed) {
            continue;
          }
          value = value * 1000 * 1000 / 8;
        }
        numeric[p.ordinal()].add(value, device);
      }
    }
    up.addTo(out);
    info.addTo(out);
    for (Family f : numeric) {
      f.addTo(out);
    }
  }

  /** The entries of class/net that are not regular files (bonding_masters is one), sorted. */
  private List<String> devices() throws IOException {
    List<String> devices = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(classNet)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !ignoredDevices.matcher(name).find()) {
          devices.add(name);
        }
      }
    } catch (NoSuchFileException | AccessDeniedException | NotDirectoryException e) {
      throw new NoDataException("cannot read " + classNet + ": " + e.getMessage(), e);
    }
    devices.sort(null);
    return devices;
  }

  /**
   * One read of a sysfs attribute, trimmed; {@code null} when the attribute is absent or the
   * kernel refuses it, as node_exporter skips such files.
   */
  private String read(Path dir, String file) throws IOException {
    Path path = dir.resolve(file);
    try (FileChannel channel = FileChannel.open(path)) {
      buffer.clear();
      int n = channel.read(buffer);
      return new String(buffer.array(), 0, Math.max(n, 0), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException | AccessDeniedException e) {
      return null;
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("Invalid argument") || message.contains("Operation not supported")) {
        return null;
      }
      throw new IOException("failed to read file " + path + ": " + message, e);
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * Go's {@code strconv.ParseInt(s, 0, 64)}: an optional sign, then {@code 0x}, {@code 0o},
   * {@code 0b} or a leading {@code 0} (octal) prefix, else decimal; {@code null} when it fails.
   */
  static Long parseGoInt(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    boolean negative = s.charAt(0) == '-';
    String digits = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
    int radix = 10;
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      switch (Character.toLowerCase(digits.charAt(1))) {
        case 'x' -> { radix = 16; digits = digits.substring(2); }
        case 'o' -> { radix = 8; digits = digits.substring(2); }
        case 'b' -> { radix = 2; digits = digits.substring(2); }
        default -> { radix = 8; digits = digits.substring(1); }
      }
    }
    if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
      return null;
    }
    try {
      return Long.parseLong(negative ? "-" + digits : digits, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
