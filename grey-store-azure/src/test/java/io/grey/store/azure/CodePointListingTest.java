package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The listing selection gives the same pages whether the server sorts by code point (Azure) or by UTF-16 code
 * unit (Azurite), checked against a brute-force answer on random key sets that mix ASCII, U+E000-U+FFFF and
 * supplementary characters.
 */
class CodePointListingTest {
  private static final String[] PARTS = {"a", "b", "/", "é", "日", "ｚ", "\uE000", "𝄞", "😀"};

  /** A server: keys at or after startFrom under prefix, in the server's order. */
  private static List<String> server(TreeSet<String> keys, Comparator<String> order, String prefix, String from) {
    return keys.stream().filter(k -> k.startsWith(prefix) && order.compare(k, from) >= 0).sorted(order).toList();
  }

  private static List<String> expected(TreeSet<String> keys, String prefix, String startAfter, int count) {
    return keys.stream().filter(k -> k.startsWith(prefix) && ObjectKey.LEXICOGRAPHIC.compare(k, startAfter) > 0)
        .sorted(ObjectKey.LEXICOGRAPHIC).limit(count).toList();
  }

  @Test
  void pagesAreTheSameForCodePointAndUtf16Servers() {
    SplittableRandom random = new SplittableRandom(7);
    Comparator<String> utf16 = Comparator.naturalOrder();
    for (int round = 0; round < 300; round++) {
      TreeSet<String> keys = new TreeSet<>(ObjectKey.LEXICOGRAPHIC);
      for (int i = 0; i < 30; i++) {
        keys.add(randomKey(random));
      }
      List<String> candidates = new ArrayList<>(keys);
      candidates.add("");
      candidates.add(randomKey(random));
      String startAfter = candidates.get(random.nextInt(candidates.size()));
      String prefix = random.nextBoolean() ? "" : startAfter.isEmpty() ? "a" : startAfter.substring(0, 1);
      int count = 1 + random.nextInt(5);
      for (Comparator<String> order : List.of(ObjectKey.LEXICOGRAPHIC, utf16)) {
        List<String> selected = CodePointListing.serverStart(prefix, startAfter)
            .map(from -> CodePointListing.select(server(keys, order, prefix, from).iterator(), k -> k, prefix,
                startAfter, count))
            .orElse(List.of());
        assertThat(selected).as("page of %d after '%s' under '%s' of %s (%s server)", count, startAfter, prefix,
            keys, order == utf16 ? "UTF-16" : "code point").isEqualTo(expected(keys, prefix, startAfter, count));
      }
    }
  }

  @Test
  void asciiContinuationStartsExactlyAtStartAfter() {
    assertThat(CodePointListing.serverStart("artifacts/t/", "artifacts/t/k17")).as("server start")
        .contains("artifacts/t/k17");
    assertThat(CodePointListing.serverStart("artifacts/t/", "artifacts/u")).as("start after every prefixed key")
        .isEmpty();
    assertThat(CodePointListing.serverStart("artifacts/t/", "artifacts/s")).as("start before the prefix")
        .contains("");
  }

  private static String randomKey(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    int length = 1 + random.nextInt(4);
    for (int i = 0; i < length; i++) {
      sb.append(PARTS[random.nextInt(PARTS.length)]);
    }
    return sb.toString();
  }
}
