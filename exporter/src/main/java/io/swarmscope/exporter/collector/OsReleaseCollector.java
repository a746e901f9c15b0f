package io.swarmscope.exporter.collector;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code os} collector: {@code node_os_info} with the os-release(5) fields of the
 * host ({@code <rootfs>/etc/os-release}, else {@code <rootfs>/usr/lib/os-release}) and
 * {@code node_os_version}, the leading "major.minor" of VERSION_ID as a number (omitted when
 * VERSION_ID does not start with a digit, e.g. rolling releases).
 *
 * <p>The parsed file is kept and re-read only when its path or modification time changes, as
 * node_exporter does. Neither file existing is {@link NoDataException}. Not thread-safe.
 */
public final class OsReleaseCollector implements Collector {

  /** The labels of node_os_info, in order, and the os-release keys they come from. */
  private static final String[] INFO_LABELS = {"build_id", "id", "id_like", "image_id",
      "image_version", "name", "pretty_name", "variant", "variant_id", "version",
      "version_codename", "version_id"};
  private static final Pattern MAJOR_MINOR = Pattern.compile("^[0-9]+\\.?[0-9]*");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_./]*");

  private final List<Path> candidates;
  private Path cachedPath;
  private FileTime cachedMtime;
  private String[] infoValues;
  private double version;

  public OsReleaseCollector(HostPaths paths) {
    this.candidates = List.of(paths.root("etc/os-release"), paths.root("usr/lib/os-release"));
  }

  @Override
  public void collect(List<MetricSnapshot> out) throws IOException {
    refresh();
    out.add(Family.gauge("node_os_info", "A metric with a constant '1' value labeled by build_id, "
            + "id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, "
            + "version, version_codename, version_id.", INFO_LABELS)
        .add(1, infoValues).build());
    if (version > 0) {
      out.add(Family.gauge("node_os_version",
              "Metric containing the major.minor part of the OS version.", "id", "id_like", "name")
          .add(version, infoValues[1], infoValues[2], infoValues[5]).build());
    }
  }

  private void refresh() throws IOException {
    for (Path path : candidates) {
      FileTime mtime;
      try {
        mtime = Files.getLastModifiedTime(path);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (path.equals(cachedPath) && mtime.equals(cachedMtime)) {
        return;
      }
      Map<String, String> env = OsReleaseFile.parse(ProcFiles.read(path), path);
      String[] values = new String[INFO_LABELS.length];
      for (int i = 0; i < INFO_LABELS.length; i++) {
        values[i] = env.getOrDefault(INFO_LABELS[i].toUpperCase(Locale.ROOT), "");
      }
      Matcher m = MAJOR_MINOR.matcher(values[INFO_LABELS.length - 1]);
      version = m.find() ? Double.parseDouble(m.group()) : 0;
      infoValues = values;
      cachedPath = path;
      cachedMtime = mtime;
      return;
    }
    throw new NoDataException("no os-release file found: " + candidates);
  }

  /**
   * The KEY=value syntax of os-release as node_exporter reads it (hashicorp/go-envparse): blank
   * and {@code #} lines skipped, an optional {@code export} prefix, double quotes with backslash
   * escapes, single quotes taken literally, and {@code #} starting a comment outside quotes.
   * Anything else malformed is an error rather than a silently wrong label.
   */
  static final class OsReleaseFile {

    private OsReleaseFile() {}

    static Map<String, String> parse(String content, Path file) throws IOException {
      Map<String, String> env = new HashMap<>();
      int lineNo = 0;
      for (String raw : content.lines().toList()) {
        lineNo++;
        String line = raw.trim();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
          throw new IOException(file + ":" + lineNo + ": missing =");
        }
        String key = line.substring(0, eq).trim();
        if (key.length() > "export ".length() && key.startsWith("export ")) {
          key = key.substring("export ".length());
        }
        if (!KEY.matcher(key).matches()) {
          throw new IOException(file + ":" + lineNo + ": invalid key '" + key + "'");
        }
        try {
          env.put(key, value(line.substring(eq + 1).trim()));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
      return env;
    }

    private static String value(String raw) {
      StringBuilder v = new StringBuilder(raw.length());
      int significant = 0; // length without blanks that precede an unquoted comment
      char quote = 0;
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c < 32) {
          throw new IllegalArgumentException("control character in value");
        }
        if (quote == '"') {
          if (c == '"') {
            quote = 0;
          } else if (c == '\\') {
            if (++i == raw.length()) {
              throw new IllegalArgumentException("incomplete escape sequence");
            }
            i = unescape(raw, i, v);
            significant = v.length();
          } else {
            v.append(c);
            significant = v.length();
          }
        } else if (quote == '\'') {
          if (c == '\'') {
            quote = 0;
          } else {
            v.append(c);
            significant = v.length();
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '#') {
          return v.substring(0, significant);
        } else {
          v.append(c);
          if (c != ' ' && c != '\t') {
            significant = v.length();
          }
        }
      }
      if (quote != 0) {
        throw new IllegalArgumentException("unmatched " + quote);
      }
      return v.toString();
    }

    /** Appends the escape at {@code raw[i]} (after the backslash); returns its last index. */
    private static int unescape(String raw, int i, StringBuilder v) {
      char c = raw.charAt(i);
      switch (c) {
        case '"', '\\', '/' -> v.append(c);
        case 'b' -> v.append('\b');
        case 'f' -> v.append('\f');
        case 'r' -> v.append('\r');
        case 'n' -> v.append('\n');
        case 't' -> v.append('\t');
        case 'u' -> {
          if (i + 4 >= raw.length()) {
            throw new IllegalArgumentException("incomplete hex sequence");
          }
          try {
            v.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid hex sequence", e);
          }
          return i + 4;
        }
        default -> throw new IllegalArgumentException("invalid escape sequence \\" + c);
      }
      return i;
    }
  }
}
