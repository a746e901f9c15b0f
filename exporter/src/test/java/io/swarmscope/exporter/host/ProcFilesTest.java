package io.swarmscope.exporter.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  @Test
  void fieldsSplitOnRunsOfSpacesAndTabs() {
    assertArrayEquals(new String[] {"254", "0", "vda", "85347"}, ProcFiles.fields("  254 \t 0 vda  85347\n"));
    assertArrayEquals(new String[] {"Ip6InReceives", "1"}, ProcFiles.fields("Ip6InReceives   \t1"));
    assertArrayEquals(new String[0], ProcFiles.fields(" \t "));
    assertArrayEquals(new String[0], ProcFiles.fields(""));
  }

  @Test
  void unsignedKeepsCountersAbove2To63Positive() {
    assertEquals(85347.0, ProcFiles.unsigned("85347"));
    assertEquals(18446744073709551615.0, ProcFiles.unsigned("18446744073709551615"));
    assertEquals(9223372036854775808.0, ProcFiles.unsigned("9223372036854775808"));
    assertThrows(NumberFormatException.class, () -> ProcFiles.unsigned("12x"));
    assertThrows(NumberFormatException.class, () -> ProcFiles.unsigned("-1"));
  }
}
