package io.swarmscope.shipper.parse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmscope.shipper.pipeline.LineTag;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

  private final LineDecoder decoder = new LineDecoder();

  private DecodedText decode(String s) {
    return decoder.decode(s.getBytes(UTF_8));
  }

  @Test
  void plainAsciiIsCopiedAndUntagged() {
    String line = "2024-03-12T09:41:02.114Z  INFO 1 --- [main] c.e.OrdersApplication : Started\twith tab ~";
    DecodedText d = decode(line);
    assertEquals(line, d.text());
    assertEquals(Set.of(), d.tags());
  }

  @Test
  void decodesOnlyTheGivenRange() {
    byte[] buf = "xxhello worldyy".getBytes(UTF_8);
    assertEquals("hello world", decoder.decode(buf, 2, 11).text());
    assertEquals("", decoder.decode(buf, 5, 0).text());
    assertThrows(IndexOutOfBoundsException.class, () -> decoder.decode(buf, 10, 6));
  }

  @Test
  void stripsOneTrailingCarriageReturn() {
    assertEquals("GET / 200", decode("GET / 200\r").text());
    assertEquals(Set.of(), decode("GET / 200\r").tags());
    assertEquals("", decode("\r").text());
    // Only the last one is the line ending; another CR is a control character.
    DecodedText two = decode("progress 50%\r\r");
    assertEquals("progress 50%\\u000d", two.text());
    assertEquals(Set.of(LineTag.CONTROL_CHARS), two.tags());
  }

  @Test
  void validNonAsciiStaysIntact() {
    String line = "注文 4711 を受け付けました ✅ 🚀 Grüße, naïve café — Ελληνικά 𝄞";
    DecodedText d = decode(line);
    assertEquals(line, d.text());
    assertEquals(Set.of(), d.tags());
  }

  @Test
  void aValidReplacementCharacterInTheInputIsNotATag() {
    DecodedText d = decode("already replaced: \uFFFD");
    assertEquals("already replaced: \uFFFD", d.text());
    assertEquals(Set.of(), d.tags());
  }

  @Test
  void replacesInvalidUtf8AsReplaceWouldAndTagsIt() {
    byte[] bytes = Fixtures.bytes("bytes/invalid-utf8.bin");
    DecodedText d = decoder.decode(bytes);
    // Exactly what the JDK's REPLACE decoding gives: one U+FFFD per malformed sequence (an
    // overlong '/' is two, an encoded surrogate one, a sequence cut short at the end one).
    assertEquals(new String(bytes, UTF_8), d.text());
    assertEquals("2024-03-12 09:41:35 WARN Benutzer M\uFFFDller nicht gefunden; path=\uFFFD\uFFFD"
        + " etc/passwd \uFFFD \uFFFD end \uFFFD", d.text());
    assertEquals(Set.of(LineTag.INVALID_UTF8), d.tags());
  }

  @Test
  void escapesNulAndOtherControlCharactersButNotTab() {
    DecodedText d = decoder.decode(Fixtures.bytes("bytes/nul-bytes.bin"));
    assertEquals("user=alice\\u0000\\u0000\\u0000\\u0000 status=ok \\u001b[32mINFO\\u001b[0m"
        + " done\tcol2\\u0007", d.text());
    assertEquals(Set.of(LineTag.CONTROL_CHARS), d.tags());
  }

  @Test
  void escapesControlCharactersAmongNonAsciiText() {
    DecodedText d = decode("\u001b[31mfehler: Datei ungültig\u001b[0m \u0001");
    assertEquals("\\u001b[31mfehler: Datei ungültig\\u001b[0m \\u0001", d.text());
    assertEquals(Set.of(LineTag.CONTROL_CHARS), d.tags());
  }

  @Test
  void leavesDelAndC1Alone() {
    DecodedText d = decode("a\u007fb\u0085c");
    assertEquals("a\u007fb\u0085c", d.text());
    assertEquals(Set.of(), d.tags());
  }

  @Test
  void cutsALongAsciiLineAndSaysHowMuch() {
    LineDecoder small = new LineDecoder(10);
    DecodedText d = small.decode("0123456789abcdef".getBytes(UTF_8));
    assertEquals("0123456789 [truncated 6 bytes]", d.text());
    assertEquals(Set.of(LineTag.TRUNCATED), d.tags());
    // Exactly at the limit: nothing cut.
    assertEquals("0123456789", small.decode("0123456789".getBytes(UTF_8)).text());
    // The trailing CR is the line ending, not content over the limit.
    DecodedText crlf = small.decode("0123456789\r".getBytes(UTF_8));
    assertEquals("0123456789", crlf.text());
    assertEquals(Set.of(), crlf.tags());
  }

  @Test
  void truncationNeverSplitsACharacter() {
    LineDecoder small = new LineDecoder(10);
    // 'é' (2 bytes) at bytes 9-10, '日' (3 bytes) at 8-10, '🚀' (4 bytes) at 7-10.
    assertCut(small, "123456789é!", "123456789", 3);
    assertCut(small, "12345678日!", "12345678", 4);
    assertCut(small, "1234567🚀!", "1234567", 5);
    // A character that ends exactly at the limit is kept.
    assertCut(small, "1234567日!", "1234567日", 1);
    assertCut(small, "123456🚀!", "123456🚀", 1);
  }

  private static void assertCut(LineDecoder d, String line, String kept, int cutBytes) {
    DecodedText t = d.decode(line.getBytes(UTF_8));
    assertEquals(kept + " [truncated " + cutBytes + " bytes]", t.text(), line);
    assertEquals(Set.of(LineTag.TRUNCATED), t.tags(), line);
  }

  @Test
  void cutsTheOneMebibyteLineAtTheDefaultLimitOnACharacterBoundary() {
    byte[] line = Fixtures.bytes("bytes/one-mib-line.json");
    assertEquals(1024 * 1024, line.length);
    int limit = LineDecoder.DEFAULT_MAX_LINE_BYTES;
    // The fixture is built so that the raw limit falls inside a (3-byte) character.
    assertEquals(0x80, line[limit] & 0xC0);

    DecodedText d = decoder.decode(line);

    assertEquals(Set.of(LineTag.TRUNCATED), d.tags());
    String marker = " [truncated ";
    int at = d.text().lastIndexOf(marker);
    String kept = d.text().substring(0, at);
    byte[] keptBytes = kept.getBytes(UTF_8);
    assertTrue(keptBytes.length <= limit && keptBytes.length > limit - 3, "" + keptBytes.length);
    assertTrue(Arrays.equals(line, 0, keptBytes.length, keptBytes, 0, keptBytes.length),
        "the kept text is the line's first bytes");
    assertFalse(kept.contains("\uFFFD"));
    assertEquals(marker + (line.length - keptBytes.length) + " bytes]", d.text().substring(at));
    assertTrue(kept.startsWith("{\"level\":\"info\",\"msg\":\"report\",\"payload\":\"日本語"));
  }

  @Test
  void aLineCutUpstreamDropsTheSplitCharacterAndCountsEverythingNotKept() {
    byte[] full = "price: 12€ and more".getBytes(UTF_8);
    // An earlier stage kept 10 bytes of 21: "price: 12" and the first byte of '€'.
    DecodedText d = decoder.decode(full, 0, 10, full.length);
    assertEquals("price: 12 [truncated 12 bytes]", d.text());
    assertEquals(Set.of(LineTag.TRUNCATED), d.tags());
    // Cut after a whole character: only the marker.
    DecodedText whole = decoder.decode(full, 0, 12, full.length);
    assertEquals("price: 12€ [truncated 9 bytes]", whole.text());
    // Cut right after a CR: it is content, not the line ending.
    byte[] cr = "abc\rdef".getBytes(UTF_8);
    assertEquals("abc\\u000d [truncated 3 bytes]", decoder.decode(cr, 0, 4, 7).text());
    // Nothing cut: the same as a whole line.
    assertEquals("abc", decoder.decode("abc\r".getBytes(UTF_8), 0, 4, 4).text());
    assertThrows(IllegalArgumentException.class, () -> decoder.decode(full, 0, 10, 9));
  }

  @Test
  void tagsCombineWhenALineHasEverything() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("bad \u0000 ".getBytes(UTF_8));
    b.write(0xff);
    b.writeBytes(" 日本語日本語日本語".getBytes(UTF_8));
    DecodedText d = new LineDecoder(16).decode(b.toByteArray());
    assertEquals(Set.of(LineTag.CONTROL_CHARS, LineTag.INVALID_UTF8, LineTag.TRUNCATED), d.tags());
    // 35 bytes; of the first 16, "bad \0 " (6), 0xff (1), " " (1) and 日本 (6) are kept, and the
    // 2 bytes of 語 that fit are dropped with the rest.
    assertEquals("bad \\u0000 \uFFFD 日本 [truncated 21 bytes]", d.text());
  }

  @Test
  void arbitraryBytesNeverThrowAndAlwaysGiveCleanText() {
    Random random = new Random(42);
    LineDecoder small = new LineDecoder(64);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(100)];
      random.nextBytes(bytes);
      if (i % 3 == 0) {
        // Mostly valid multi-byte text with garbage: exercises boundaries more than noise does.
        byte[] text = "日本🚀é".repeat(8).getBytes(UTF_8);
        System.arraycopy(text, 0, bytes, 0, Math.min(text.length, bytes.length / 2));
      }
      DecodedText d = small.decode(bytes);
      String t = d.text();
      for (int k = 0; k < t.length(); k++) {
        char c = t.charAt(k);
        if (c < 0x20 && c != '\t') {
          fail("control character left in " + t);
        }
        if (Character.isHighSurrogate(c)) {
          k++;
          if (k == t.length() || !Character.isLowSurrogate(t.charAt(k))) {
            fail("unpaired high surrogate in " + t);
          }
        } else if (Character.isLowSurrogate(c)) {
          fail("unpaired low surrogate in " + t);
        }
      }
      assertEquals(bytes.length > 64, d.tags().contains(LineTag.TRUNCATED));
    }
  }

  @Test
  void theCommonCaseSharesAnEmptyTagSet() {
    assertSame(decode("a").tags(), decode("b").tags());
  }

  @Test
  void rejectsALimitTooSmallForOneCharacter() {
    assertThrows(IllegalArgumentException.class, () -> new LineDecoder(3));
    assertEquals(4, new LineDecoder(4).maxLineBytes());
  }
}
