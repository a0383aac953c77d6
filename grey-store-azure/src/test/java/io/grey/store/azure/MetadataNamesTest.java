package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetadataNamesTest {
  private static final Pattern CSHARP_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Every key of up to four characters over an alphabet with both separators. */
  private static List<String> keys() {
    String alphabet = "a1_-ud";
    List<String> keys = new java.util.ArrayList<>();
    List<String> frontier = List.of("");
    for (int length = 1; length <= 4; length++) {
      List<String> next = new java.util.ArrayList<>();
      for (String stem : frontier) {
        for (char c : alphabet.toCharArray()) {
          next.add(stem + c);
        }
      }
      next.stream().filter(k -> k.matches("[a-z0-9][a-z0-9_-]*")).forEach(keys::add);
      frontier = next;
    }
    return keys;
  }

  @Test
  void everyGreyKeyEncodesToADistinctCSharpIdentifierThatDecodesBack() {
    Set<String> seen = new HashSet<>();
    for (String key : keys()) {
      String encoded = MetadataNames.encode(key);
      assertThat(encoded).as("encoding of %s", key).matches(CSHARP_IDENTIFIER);
      assertThat(seen.add(encoded)).as("encoding of %s is not shared with another key", key).isTrue();
      assertThat(MetadataNames.decode(encoded)).as("decoding of %s", encoded).contains(key);
      assertThat(MetadataNames.decode(encoded.toUpperCase())).as("decoding is case-insensitive").contains(key);
    }
  }

  @Test
  void greysOwnEntriesAndForeignNamesAreNotUserMetadata() {
    assertThat(MetadataNames.decode(MetadataNames.SHA256)).as("grey_sha256").isEmpty();
    assertThat(MetadataNames.decode(MetadataNames.SIZE)).as("grey_size").isEmpty();
    assertThat(MetadataNames.decode("Owner")).as("a name written by another tool").isEmpty();
    assertThat(MetadataNames.decode("u_a_x")).as("an unknown escape").isEmpty();
  }
}
