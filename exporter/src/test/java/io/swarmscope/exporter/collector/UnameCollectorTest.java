package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.host.HostPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnameCollectorTest {

  @TempDir Path dir;

  /** A containerised exporter: /proc/sys/kernel/hostname is the container's own name. */
  private FixtureTree tree() {
    return new FixtureTree(dir)
        .file("proc/sys/kernel/hostname", "3f2a9c1e7b44\n")
        .file("proc/sys/kernel/osrelease", "6.18.44-fc-v669\n")
        .file("proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC @0\n")
        .file("proc/sys/kernel/domainname", "(none)\n")
        .file("proc/sys/kernel/arch", "aarch64\n")
        .file("root/etc/hostname", "swarm-worker-2\n");
  }

  private static String info(String nodename, String machine) {
    return """
        # HELP node_uname_info Labeled system information as provided by the uname system call.
        # TYPE node_uname_info gauge
        node_uname_info{domainname="(none)",machine="%s",nodename="%s",release="6.18.44-fc-v669",sysname="Linux",version="#1 SMP PREEMPT_DYNAMIC @0"} 1.0
        """.formatted(machine, nodename);
  }

  @Test
  void mountedRootfsGivesTheHostsName() {
    assertEquals(info("swarm-worker-2", "aarch64"), Exposition.text(new UnameCollector(tree().paths(), null)));
  }

  @Test
  void nodenameOptionWinsOverEverything() {
    assertEquals(info("manager-1", "aarch64"),
        Exposition.text(new UnameCollector(tree().paths(), "manager-1")));
  }

  @Test
  void ownRootReadsTheKernelHostname() {
    var fixture = tree().paths();
    var paths = new HostPaths(fixture.procfs(), fixture.sysfs(), Path.of("/"));
    assertEquals(info("3f2a9c1e7b44", "aarch64"), Exposition.text(new UnameCollector(paths, null)));
  }

  @Test
  void hostnameFileSkipsCommentsAndFallsBackWhenEmpty() {
    var tree = tree().file("root/etc/hostname", "# set by cloud-init\n\nswarm-worker-9\n");
    assertEquals(info("swarm-worker-9", "aarch64"), Exposition.text(new UnameCollector(tree.paths(), null)));
    tree.file("root/etc/hostname", "# nothing here\n");
    assertEquals(info("3f2a9c1e7b44", "aarch64"), Exposition.text(new UnameCollector(tree.paths(), null)));
  }

  @Test
  void kernelWithoutArchFileUsesTheJvmArchitecture() throws Exception {
    var tree = tree();
    Files.delete(dir.resolve("proc/sys/kernel/arch"));
    String jvm = System.getProperty("os.arch");
    String text = Exposition.text(new UnameCollector(tree.paths(), null));
    assertTrue(text.contains("machine=\"" + (jvm.equals("amd64") ? "x86_64" : jvm) + "\""), text);
  }

  @Test
  void missingKernelReleaseIsAnError() throws Exception {
    var tree = tree();
    Files.delete(dir.resolve("proc/sys/kernel/osrelease"));
    assertThrows(Exception.class, () -> new UnameCollector(tree.paths(), null).collect(new ArrayList<>()));
  }
}
