package io.swarmscope.shipper.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LevelNormalizerTest {

  @ParameterizedTest
  @CsvSource({
      "trace, TRACE", "finest, TRACE", "finer, TRACE", "verbose, TRACE", "VRB, TRACE",
      "trce, TRACE",
      "debug, DEBUG", "fine, DEBUG", "dbg, DEBUG", "d, DEBUG", "DBUG, DEBUG",
      "info, INFO", "information, INFO", "informational, INFO", "notice, INFO", "config, INFO",
      "i, INFO", "INF, INFO",
      "warn, WARN", "warning, WARN", "w, WARN", "WRN, WARN",
      "error, ERROR", "err, ERROR", "e, ERROR", "severe, ERROR", "fail, ERROR", "failure, ERROR",
      "EROR, ERROR",
      "fatal, FATAL", "critical, FATAL", "crit, FATAL", "panic, FATAL", "dpanic, FATAL",
      "emerg, FATAL", "emergency, FATAL", "alert, FATAL", "f, FATAL", "c, FATAL", "FTL, FATAL"
  })
  void mapsEveryKnownName(String written, LogLevel expected) {
    assertEquals(expected, LevelNormalizer.normalize(written));
  }

  @ParameterizedTest
  @ValueSource(strings = {"WARNING", "Warning", "wArNiNg", " warning", "warning\t", "\n warning \r"})
  void ignoresCaseAndSurroundingWhitespace(String written) {
    assertEquals(LogLevel.WARN, LevelNormalizer.normalize(written));
  }

  @ParameterizedTest
  @CsvSource({"10, TRACE", "20, DEBUG", "30, INFO", "40, WARN", "50, ERROR", "60, FATAL"})
  void mapsBunyanAndPinoNumbers(int n, LogLevel expected) {
    assertEquals(expected, LevelNormalizer.normalize(n));
    assertEquals(expected, LevelNormalizer.normalize((long) n));
    assertEquals(expected, LevelNormalizer.normalize(Integer.valueOf(n)));
    assertEquals(expected, LevelNormalizer.normalize(Long.valueOf(n)));
    assertEquals(expected, LevelNormalizer.normalize(Double.valueOf(n)));
    assertEquals(expected, LevelNormalizer.normalize(BigInteger.valueOf(n)));
    assertEquals(expected, LevelNormalizer.normalize(new BigDecimal(n + ".0")));
    assertEquals(expected, LevelNormalizer.normalize(String.valueOf(n)));
    assertEquals(expected, LevelNormalizer.normalize(" " + n + " "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "banana", "infos", "warn!", "e r r", "0", "3", "7", "35", "100",
      "99999999999999999999", "-30", "30.5", "30.0", "\u0131nfo", "\u0130NFO", "levelinfo"})
  void anythingElseIsUnknown(String written) {
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(written));
  }

  @Test
  void numbersOutsideTheTableAreUnknown() {
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(0L));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(31L));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(Long.MAX_VALUE));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(Long.MIN_VALUE + 30));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(30.5));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(Double.NaN));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(BigInteger.TWO.pow(64).add(
        BigInteger.valueOf(30))));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize(new BigDecimal("30.25")));
  }

  @Test
  void digitStringsAreReadAsNumbers() {
    assertEquals(LogLevel.INFO, LevelNormalizer.normalize("030"));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize("30.0"));
  }

  @Test
  void nullIsUnknown() {
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize((String) null));
    assertEquals(LogLevel.UNKNOWN, LevelNormalizer.normalize((Number) null));
  }
}
