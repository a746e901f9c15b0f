package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsReleaseCollectorTest {

  private static final String UBUNTU = """
      PRETTY_NAME="Ubuntu 22.04.4 LTS"
      NAME="Ubuntu"
      VERSION_ID="22.04"
      VERSION="22.04.4 LTS (Jammy Jellyfish)"
      VERSION_CODENAME=jammy
      ID=ubuntu
      ID_LIKE=debian
      HOME_URL="https://www.ubuntu.com/"
      UBUNTU_CODENAME=jammy
      """;

  @TempDir Path dir;

  @Test
  void exportsInfoAndMajorMinorVersion() {
    var tree = new FixtureTree(dir).file("root/etc/os-release", UBUNTU);
    assertEquals("""
        # HELP node_os_info A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.
        # TYPE node_os_info gauge
        node_os_info{build_id="",id="ubuntu",id_like="debian",image_id="",image_version="",name="Ubuntu",pretty_name="Ubuntu 22.04.4 LTS",variant="",variant_id="",version="22.04.4 LTS (Jammy Jellyfish)",version_codename="jammy",version_id="22.04"} 1.0
        # HELP node_os_version Metric containing the major.minor part of the OS version.
        # TYPE node_os_version gauge
        node_os_version{id="ubuntu",id_like="debian",name="Ubuntu"} 22.04
        """, Exposition.text(new OsReleaseCollector(tree.paths())));
  }

  @Test
  void fallsBackToUsrLibAndOmitsVersionWhenNotNumeric() {
    var tree = new FixtureTree(dir).file("root/usr/lib/os-release", """
        NAME="Arch Linux"
        PRETTY_NAME="Arch Linux"
        ID=arch
        BUILD_ID=rolling
        VERSION_ID=rolling
        IMAGE_ID=archlinux
        IMAGE_VERSION=2024.07.01
        VARIANT="Server Edition"
        VARIANT_ID=server
        """);
    assertEquals("""
        # HELP node_os_info A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.
        # TYPE node_os_info gauge
        node_os_info{build_id="rolling",id="arch",id_like="",image_id="archlinux",image_version="2024.07.01",name="Arch Linux",pretty_name="Arch Linux",variant="Server Edition",variant_id="server",version="",version_codename="",version_id="rolling"} 1.0
        """, Exposition.text(new OsReleaseCollector(tree.paths())));
  }

  @Test
  void rereadsOnlyWhenTheFileChanges() throws Exception {
    var tree = new FixtureTree(dir).file("root/etc/os-release", UBUNTU);
    var collector = new OsReleaseCollector(tree.paths());
    Path file = dir.resolve("root/etc/os-release");
    FileTime mtime = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
    Files.setLastModifiedTime(file, mtime);
    collector.collect(new ArrayList<>());

    tree.file("root/etc/os-release", UBUNTU.replace("22.04", "24.04"));
    Files.setLastModifiedTime(file, mtime);
    assertTrue(Exposition.text(collector).contains("} 22.04\n"), "cached while mtime is unchanged");

    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-06-01T00:00:00Z")));
    assertTrue(Exposition.text(collector).contains("} 24.04\n"), "re-read after mtime changed");
  }

  @Test
  void noOsReleaseFileIsNoData() {
    var tree = new FixtureTree(dir);
    assertThrows(NoDataException.class, () -> new OsReleaseCollector(tree.paths()).collect(new ArrayList<>()));
  }

  @Test
  void garbledFileIsAnError() {
    var tree = new FixtureTree(dir).file("root/etc/os-release", "NAME=\"Ubuntu\nID=ubuntu\n");
    var e = assertThrows(IOException.class,
        () -> new OsReleaseCollector(tree.paths()).collect(new ArrayList<>()));
    assertFalse(e instanceof NoDataException, e.toString());
  }

  @Test
  void parsesTheShellSubsetOfOsRelease() throws Exception {
    Map<String, String> env = OsReleaseCollector.OsReleaseFile.parse("""
        # comment line

          export ID=fedora   # trailing comment
        NAME='Fedora Linux'
        PRETTY_NAME="Fedora \\"Forty\\" \\u00e9 \\\\ done"
        EMPTY=
        MIXED=a"b c"'d e'
        """, Path.of("os-release"));
    assertEquals(Map.of("ID", "fedora", "NAME", "Fedora Linux",
        "PRETTY_NAME", "Fedora \"Forty\" \u00e9 \\ done", "EMPTY", "", "MIXED", "ab cd e"), env);
    assertThrows(IOException.class,
        () -> OsReleaseCollector.OsReleaseFile.parse("JUST TEXT\n", Path.of("os-release")));
    assertThrows(IOException.class,
        () -> OsReleaseCollector.OsReleaseFile.parse("1D=x\n", Path.of("os-release")));
  }
}
