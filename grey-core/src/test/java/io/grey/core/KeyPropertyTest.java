package io.grey.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * No input, however hostile, yields a key that leaves its tenant's directory once a file system resolves it:
 * every construction either throws {@link InvalidKeyException} or stays under {@code {class}/{tenant}/}.
 */
class KeyPropertyTest {
  private static final Path ROOT = Path.of("/root");
  private static final List<String> TOKENS = List.of("/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "\\", "\u0000",
      "\n", "\t", "\u007f", "\u0085", "a", "b", "Z", "0", "-", "_", "é", "\u202e", "\ud83d\ude00", "\ud800",
      "\udc00", " ", "~", ":", "%", "e");

  /** Any string, weighted towards the pieces of path traversal: separators, dots, escapes, controls. */
  @Provide
  Arbitrary<String> hostile() {
    return mix(3, 3, 2, 2);
  }

  /** Mostly identifier-like strings, so that the other inputs of a key get past the tenant and task checks. */
  @Provide
  Arbitrary<String> mostlyIdentifiers() {
    return mix(1, 8, 0, 1);
  }

  private static Arbitrary<String> mix(int tokenWeight, int identifierWeight, int pathWeight, int anyWeight) {
    Arbitrary<String> tokens = Arbitraries.of(TOKENS).list().ofMaxSize(8).map(parts -> String.join("", parts));
    Arbitrary<String> identifiers = Arbitraries.strings().withChars("abcXYZ0129._-").ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> paths = Arbitraries.oneOf(identifiers, tokens).list().ofMinSize(1).ofMaxSize(4)
        .map(parts -> String.join("/", parts));
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(16);
    return Arbitraries.frequencyOf(Tuple.of(tokenWeight, tokens), Tuple.of(identifierWeight, identifiers),
        Tuple.of(pathWeight, paths), Tuple.of(anyWeight, anything));
  }

  /** Fails the property if too few inputs were accepted to exercise the containment check. */
  private static void requireAccepted(String label) {
    Statistics.label(label).coverage(c -> c.check("accepted").percentage(p -> p >= 5));
  }

  @Property(tries = 1000)
  void artifactKeysStayUnderTheirTenant(@ForAll("mostlyIdentifiers") String tenant,
                                        @ForAll("mostlyIdentifiers") String task,
                                        @ForAll("hostile") String name) {
    requireAccepted("artifact");
    ObjectKey key;
    try {
      key = ObjectKey.artifact(new Tenant(tenant), new TaskId(task), new ArtifactName(name));
    } catch (InvalidKeyException rejected) {
      Statistics.label("artifact").collect("rejected");
      return;
    }
    Statistics.label("artifact").collect("accepted");
    assertStaysUnder(key, "artifacts", tenant);
    assertThat(key.tenant()).as("the key's tenant is the input tenant").contains(new Tenant(tenant));
  }

  @Property(tries = 1000)
  void proofKeysStayUnderTheirTenant(@ForAll("mostlyIdentifiers") String tenant,
                                     @ForAll("mostlyIdentifiers") String task,
                                     @ForAll("hostile") String id) {
    requireAccepted("proof");
    ObjectKey key;
    try {
      key = ObjectKey.proof(new Tenant(tenant), new TaskId(task), id);
    } catch (InvalidKeyException rejected) {
      Statistics.label("proof").collect("rejected");
      return;
    }
    Statistics.label("proof").collect("accepted");
    assertStaysUnder(key, "proofs", tenant);
  }

  @Property(tries = 1000)
  void stateKeysStayUnderTheirTenant(@ForAll("mostlyIdentifiers") String tenant,
                                     @ForAll("hostile") String stateKey) {
    requireAccepted("state");
    ObjectKey key;
    try {
      key = ObjectKey.state(new Tenant(tenant), stateKey);
    } catch (InvalidKeyException rejected) {
      Statistics.label("state").collect("rejected");
      return;
    }
    Statistics.label("state").collect("accepted");
    assertStaysUnder(key, "state", tenant);
  }

  @Property(tries = 1000)
  void anyAcceptedObjectKeyResolvesBelowTheRoot(@ForAll("hostile") String value) {
    requireAccepted("object key");
    ObjectKey key;
    try {
      key = ObjectKey.of(value);
    } catch (InvalidKeyException rejected) {
      Statistics.label("object key").collect("rejected");
      return;
    }
    Statistics.label("object key").collect("accepted");
    Path resolved = ROOT.resolve(key.value()).normalize();
    assertThat(resolved.startsWith(ROOT) && resolved.getNameCount() > ROOT.getNameCount())
        .as("'%s' resolves to %s, below %s", value, resolved, ROOT).isTrue();
  }

  private static void assertStaysUnder(ObjectKey key, String dataClass, String tenant) {
    String prefix = dataClass + "/" + tenant + "/";
    assertThat(key.value()).as("key starts with %s", prefix).startsWith(prefix);
    Path base = ROOT.resolve(dataClass).resolve(tenant);
    Path resolved = ROOT.resolve(key.value()).normalize();
    assertThat(resolved.startsWith(base) && resolved.getNameCount() > base.getNameCount())
        .as("%s resolves to %s, strictly under %s", key, resolved, base).isTrue();
  }

  // Targeted examples, one per rule.

  @Example
  void aValidArtifactKeyHasTheDocumentedShape() {
    assertThat(ObjectKey.artifact(new Tenant("acme"), new TaskId("task-456"), new ArtifactName("out/model.bin"))
        .value()).isEqualTo("artifacts/acme/task-456/out/model.bin");
  }

  @Example
  void anEmptyTenantIsRefused() {
    assertThatThrownBy(() -> new Tenant("")).isInstanceOf(InvalidKeyException.class)
        .hasMessage("tenant must not be empty");
  }

  @Example
  void aTenantWithASlashIsRefused() {
    assertThatThrownBy(() -> new Tenant("acme/other")).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }

  @Example
  void dotAndDotDotTenantsAreRefused() {
    assertThatThrownBy(() -> new Tenant(".")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> new Tenant("..")).isInstanceOf(InvalidKeyException.class);
  }

  @Example
  void aTenantStartingWithAPunctuationMarkIsRefused() {
    assertThatThrownBy(() -> new Tenant("-acme")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> new Tenant(".acme")).isInstanceOf(InvalidKeyException.class);
  }

  @Example
  void aTenantLongerThan63CharactersIsRefused() {
    assertThat(new Tenant("a".repeat(63)).value()).hasSize(63);
    assertThatThrownBy(() -> new Tenant("a".repeat(64))).isInstanceOf(InvalidKeyException.class);
  }

  @Example
  void aTenantWithSpacesOrNonAsciiIsRefused() {
    assertThatThrownBy(() -> new Tenant("Acme Corp")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> new Tenant("acmé")).isInstanceOf(InvalidKeyException.class);
  }

  @Example
  void aTaskIdFollowsTheSameRule() {
    assertThatThrownBy(() -> new TaskId("../t")).isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith("task id '../t' must match");
  }

  @Example
  void anArtifactNameClimbingOutIsRefused() {
    assertThatThrownBy(() -> new ArtifactName("../x")).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("'..' segment");
    assertThatThrownBy(() -> new ArtifactName("a/../../b")).isInstanceOf(InvalidKeyException.class);
  }

  @Example
  void anArtifactNameWithADotSegmentIsRefused() {
    assertThatThrownBy(() -> new ArtifactName("./a")).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("'.' segment");
  }

  @Example
  void anArtifactNameWithAnEmptySegmentIsRefused() {
    for (String bad : new String[] {"/a", "a/", "a//b"}) {
      assertThatThrownBy(() -> new ArtifactName(bad)).as(bad).isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("empty segment");
    }
  }

  @Example
  void anArtifactNameWithABackslashIsRefused() {
    assertThatThrownBy(() -> new ArtifactName("a\\..\\b")).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("backslash");
  }

  @Example
  void percentEncodedDotsSlashesAndBackslashesAreRefused() {
    for (String bad : new String[] {"%2e%2e/x", "a%2Fb", "a%5cb", "%2E"}) {
      assertThatThrownBy(() -> new ArtifactName(bad)).as(bad).isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("percent-encoded");
    }
  }

  @Example
  void controlCharactersAreRefused() {
    for (String bad : new String[] {"a\u0000b", "a\nb", "a\u007fb", "a\u0085b"}) {
      assertThatThrownBy(() -> ObjectKey.of(bad)).isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("control characters");
    }
  }

  @Example
  void aLoneSurrogateIsRefused() {
    assertThatThrownBy(() -> ObjectKey.of("a\ud800b")).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("lone surrogate");
  }

  @Example
  void anArtifactNameLongerThan512BytesIsRefused() {
    String name = ("a".repeat(60) + "/").repeat(9) + "a";
    assertThatThrownBy(() -> new ArtifactName(name)).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("at most 512");
  }

  @Example
  void anArtifactNameSegmentMustBeAnIdentifier() {
    assertThatThrownBy(() -> new ArtifactName("reports/.hidden")).isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith("artifact name segment '.hidden'");
  }

  @Example
  void unicodeIsAllowedInObjectAndStateKeys() {
    assertThat(ObjectKey.state(new Tenant("acme"), "caf\u00e9/\ud83d\ude00").value())
        .isEqualTo("state/acme/caf\u00e9/\ud83d\ude00");
  }

  @Example
  void aStateKeyClimbingOutIsRefused() {
    assertThatThrownBy(() -> ObjectKey.state(new Tenant("acme"), "../../etc/passwd"))
        .isInstanceOf(InvalidKeyException.class).hasMessageStartingWith("state key");
  }

  @Example
  void aProofIdWithASlashIsRefused() {
    assertThatThrownBy(() -> ObjectKey.proof(new Tenant("acme"), new TaskId("t"), "a/b"))
        .isInstanceOf(InvalidKeyException.class).hasMessageStartingWith("proof id 'a/b'");
  }

  @Example
  void anObjectKeyLongerThan1024BytesIsRefused() {
    String key = ("a".repeat(200) + "/").repeat(5) + "abcdefghijklmnopqrstuvwxy";
    assertThatThrownBy(() -> ObjectKey.of(key)).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("at most 1024");
  }

  @Example
  void aSegmentLongerThan255BytesIsRefused() {
    assertThatThrownBy(() -> ObjectKey.of("a/" + "b".repeat(256))).isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("segment longer than 255");
  }
}
