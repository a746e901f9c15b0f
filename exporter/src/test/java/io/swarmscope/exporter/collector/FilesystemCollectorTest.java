package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmscope.exporter.host.HostPaths;
import io.swarmscope.exporter.host.StatFs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemCollectorTest {

  @TempDir Path dir;

  /** A statfs answering from a table of rooted paths; anything else fails like ENOENT. */
  private static final class FakeStatFs implements StatFs {
    final Map<Path, Result> results = new HashMap<>();

    @Override
    public Result stat(Path mountPoint) throws IOException {
      Result r = results.get(mountPoint);
      if (r == null) {
        throw new IOException("statvfs " + mountPoint + ": errno 2");
      }
      return r;
    }
  }

  private FilesystemCollector collector(HostPaths paths, StatFs statFs, Map<String, String> options) {
    return new FilesystemCollector(new CollectorContext(paths, Clock.systemUTC(), statFs, options));
  }

  @Test
  void exportsStatsOfIncludedMountsLabelledWithHostPaths() {
    var tree = new FixtureTree(dir);
    HostPaths paths = tree.paths();
    // The shape of a real /proc/1/mounts, including lines the default exclusions drop and one
    // written from inside the container (rootfs-prefixed).
    tree.file("proc/1/mounts", """
        proc /proc proc rw,relatime 0 0
        sysfs /sys sysfs rw,relatime 0 0
        /dev/vda / ext4 rw,relatime,discard 0 0
        tmpfs /run tmpfs rw,nosuid,nodev,size=2468408k,mode=755 0 0
        /dev/vdb /srv/my\\040data xfs ro,noatime 0 0
        /dev/vda /var/lib/docker ext4 rw,relatime,discard 0 0
        overlay /var/lib/docker/overlay2/4f1c/merged overlay rw,relatime,lowerdir=/a,upperdir=/b 0 0
        nsfs /run/docker/netns/ingress_sbox nsfs rw 0 0
        /dev/vda /var/lib/docker ext4 rw,relatime,discard 0 0
        nfs.example:/export /mnt/nfs nfs4 rw,relatime,vers=4.2 0 0
        /dev/vdc %s/data ext4 rw 0 0
        """.formatted(paths.rootfs()));
    var statFs = new FakeStatFs();
    statFs.results.put(paths.rootedMountPoint("/"), new StatFs.Result(4096, 1000, 600, 500, 700, 300));
    statFs.results.put(paths.rootedMountPoint("/run"), new StatFs.Result(1024, 20, 19, 18, 17, 16));
    statFs.results.put(paths.rootedMountPoint("/srv/my data"), new StatFs.Result(512, 8, 4, 2, 9, 3));
    statFs.results.put(paths.rootedMountPoint("/var/lib/docker"), new StatFs.Result(4096, 1000, 600, 500, 700, 300));
    statFs.results.put(paths.rootedMountPoint("/data"), new StatFs.Result(2048, 50, 40, 30, 60, 55));

    assertEquals("""
        # HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.
        # TYPE node_filesystem_avail_bytes gauge
        node_filesystem_avail_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 2048000.0
        node_filesystem_avail_bytes{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 2048000.0
        node_filesystem_avail_bytes{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 1024.0
        node_filesystem_avail_bytes{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 61440.0
        node_filesystem_avail_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 18432.0
        # HELP node_filesystem_device_error Whether an error occurred while getting statistics for the given device.
        # TYPE node_filesystem_device_error gauge
        node_filesystem_device_error{device="/dev/vda",fstype="ext4",mountpoint="/"} 0.0
        node_filesystem_device_error{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 0.0
        node_filesystem_device_error{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 0.0
        node_filesystem_device_error{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 0.0
        node_filesystem_device_error{device="nfs.example:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 1.0
        node_filesystem_device_error{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 0.0
        # HELP node_filesystem_files Filesystem total file nodes.
        # TYPE node_filesystem_files gauge
        node_filesystem_files{device="/dev/vda",fstype="ext4",mountpoint="/"} 700.0
        node_filesystem_files{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 700.0
        node_filesystem_files{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 9.0
        node_filesystem_files{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 60.0
        node_filesystem_files{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 17.0
        # HELP node_filesystem_files_free Filesystem total free file nodes.
        # TYPE node_filesystem_files_free gauge
        node_filesystem_files_free{device="/dev/vda",fstype="ext4",mountpoint="/"} 300.0
        node_filesystem_files_free{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 300.0
        node_filesystem_files_free{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 3.0
        node_filesystem_files_free{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 55.0
        node_filesystem_files_free{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 16.0
        # HELP node_filesystem_free_bytes Filesystem free space in bytes.
        # TYPE node_filesystem_free_bytes gauge
        node_filesystem_free_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 2457600.0
        node_filesystem_free_bytes{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 2457600.0
        node_filesystem_free_bytes{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 2048.0
        node_filesystem_free_bytes{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 81920.0
        node_filesystem_free_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 19456.0
        # HELP node_filesystem_readonly Filesystem read-only status.
        # TYPE node_filesystem_readonly gauge
        node_filesystem_readonly{device="/dev/vda",fstype="ext4",mountpoint="/"} 0.0
        node_filesystem_readonly{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 0.0
        node_filesystem_readonly{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 1.0
        node_filesystem_readonly{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 0.0
        node_filesystem_readonly{device="nfs.example:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 0.0
        node_filesystem_readonly{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 0.0
        # HELP node_filesystem_size_bytes Filesystem size in bytes.
        # TYPE node_filesystem_size_bytes gauge
        node_filesystem_size_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 4096000.0
        node_filesystem_size_bytes{device="/dev/vda",fstype="ext4",mountpoint="/var/lib/docker"} 4096000.0
        node_filesystem_size_bytes{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 4096.0
        node_filesystem_size_bytes{device="/dev/vdc",fstype="ext4",mountpoint="/data"} 102400.0
        node_filesystem_size_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 20480.0
        """, Exposition.text(collector(paths, statFs, Map.of())));
  }

  @Test
  void optionsReplaceTheDefaultExclusions() {
    var tree = new FixtureTree(dir).file("proc/1/mounts", """
        /dev/vda / ext4 rw 0 0
        tmpfs /run tmpfs rw 0 0
        overlay /var/lib/docker/overlay2/4f1c/merged overlay rw 0 0
        """);
    var statFs = new FakeStatFs();
    HostPaths paths = tree.paths();
    statFs.results.put(paths.rootedMountPoint("/"), new StatFs.Result(1, 1, 1, 1, 1, 1));
    statFs.results.put(paths.rootedMountPoint("/var/lib/docker/overlay2/4f1c/merged"),
        new StatFs.Result(1, 2, 2, 2, 2, 2));
    String text = Exposition.text(collector(paths, statFs, Map.of(
        "collector.filesystem.mount-points-exclude", "^/run($|/)",
        "collector.filesystem.fs-types-exclude", "^tmpfs$")));
    assertTrue(text.contains("node_filesystem_size_bytes{device=\"overlay\",fstype=\"overlay\","
        + "mountpoint=\"/var/lib/docker/overlay2/4f1c/merged\"} 2.0"), text);
    assertTrue(!text.contains("/run"), text);
  }

  @Test
  void fallsBackToOwnMountsWhenPid1IsHidden() {
    var tree = new FixtureTree(dir).file("proc/mounts", "/dev/vda / ext4 rw 0 0\n");
    var statFs = new FakeStatFs();
    statFs.results.put(tree.paths().rootedMountPoint("/"), new StatFs.Result(10, 3, 2, 1, 5, 4));
    String text = Exposition.text(collector(tree.paths(), statFs, Map.of()));
    assertTrue(text.contains("node_filesystem_size_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 30.0"), text);
  }

  @Test
  void missingMountsFileIsAnError() {
    var tree = new FixtureTree(dir);
    assertThrows(IOException.class,
        () -> collector(tree.paths(), new FakeStatFs(), Map.of()).collect(new ArrayList<>()));
  }

  @Test
  void truncatedMountLineIsAnErrorAsInNodeExporter() {
    var tree = new FixtureTree(dir).file("proc/1/mounts", "/dev/vda / ext4 rw 0 0\n/dev/vdb /srv\n");
    assertThrows(IOException.class,
        () -> collector(tree.paths(), new FakeStatFs(), Map.of()).collect(new ArrayList<>()));
  }

  @Test
  void unescapesOctalEscapesInMountPoints() {
    assertEquals("/srv/a b\tc\\d", FilesystemCollector.unescape("/srv/a\\040b\\011c\\134d"));
    assertEquals("/plain", FilesystemCollector.unescape("/plain"));
  }

  @Test
  void parsesGoStyleDurations() {
    assertEquals(Duration.ofSeconds(5), FilesystemCollector.parseDuration("5s"));
    assertEquals(Duration.ofMillis(250), FilesystemCollector.parseDuration("250ms"));
    assertEquals(Duration.ofMillis(1500), FilesystemCollector.parseDuration("1.5s"));
    assertThrows(IllegalArgumentException.class, () -> FilesystemCollector.parseDuration("soon"));
  }

  @Test
  void hungStatIsReportedFailedAndNotRetriedUntilItReturns() throws Exception {
    var tree = new FixtureTree(dir).file("proc/1/mounts", """
        /dev/vda / ext4 rw 0 0
        nfs.example:/export /mnt/nfs nfs4 rw 0 0
        """);
    HostPaths paths = tree.paths();
    Path nfs = paths.rootedMountPoint("/mnt/nfs");
    CountDownLatch serverBack = new CountDownLatch(1);
    AtomicInteger nfsCalls = new AtomicInteger();
    StatFs statFs = p -> {
      if (p.equals(nfs)) {
        nfsCalls.incrementAndGet();
        try {
          // A dead NFS server: statfs blocks until it comes back.
          serverBack.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new StatFs.Result(100, 7, 6, 5, 4, 3);
      }
      return new StatFs.Result(4096, 10, 9, 8, 7, 6);
    };
    var collector = new FilesystemCollector(paths, statFs, FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
        FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE, Duration.ofSeconds(2));
    String nfsError = "node_filesystem_device_error{device=\"nfs.example:/export\",fstype=\"nfs4\",mountpoint=\"/mnt/nfs\"} ";

    String first = Exposition.text(collector);
    assertTrue(first.contains(nfsError + "1.0"), first);
    assertTrue(first.contains("node_filesystem_size_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 40960.0"), first);

    // No wall-clock assertion (tests never time): the call count shows the stuck mount was not
    // stat'ed again, and the generous timeout keeps the healthy mount's stat from ever missing it.
    String second = Exposition.text(collector);
    assertTrue(second.contains(nfsError + "1.0"), second);
    assertEquals(1, nfsCalls.get(), "no second statfs on a stuck mount");

    serverBack.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String recovered;
    do {
      recovered = Exposition.text(collector);
    } while (recovered.contains(nfsError + "1.0") && System.nanoTime() < deadline);
    assertTrue(recovered.contains(nfsError + "0.0"), recovered);
    assertTrue(recovered.contains("node_filesystem_size_bytes{device=\"nfs.example:/export\",fstype=\"nfs4\",mountpoint=\"/mnt/nfs\"} 700.0"), recovered);
    assertEquals(2, nfsCalls.get(), "a recovered mount is stat'ed afresh");
  }
}
