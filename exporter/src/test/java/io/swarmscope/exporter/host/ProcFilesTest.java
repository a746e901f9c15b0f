package io.swarmscope.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcFilesTest {

  @Test
  void readsSysctlFilesWhole() throws Exception {
    // A regular file cannot mimic sysctl's "EOF past offset 0", so this needs a real /proc.
    Path fileNr = Path.of("/proc/sys/fs/file-nr");
    assumeTrue(Files.isReadable(fileNr), "no /proc/sys on this machine");
    assertEquals(3, ProcFiles.readTrimmed(fileNr).split("\t").length);
  }
}
