package io.grey.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ArtifactName;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.TaskId;
import io.grey.core.Tenant;
import io.grey.core.TestClock;
import io.grey.core.layer.InMemoryStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  private static final Tenant ACME = new Tenant("acme");
  private static final TaskId TASK = new TaskId("task-456");
  private static final ArtifactName NAME = new ArtifactName("reports/summary.json");

  @TempDir Path dir;

  private final TestClock clock = new TestClock(Instant.parse("2026-02-03T00:00:00Z"));
  private final InMemoryStore store = new InMemoryStore("mem", clock);
  private ArtifactStore artifacts;

  @BeforeEach
  void open() {
    artifacts = new ArtifactStore(store, NodeKey.loadOrCreate(dir), "production", clock);
  }

  private static InputStream body(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private ObjectInfo put(ArtifactName name, String text) {
    return artifacts.storeArtifactWithTags(ACME, TASK, name, body(text), text.length(), Map.of());
  }

  @Test
  void aStoredArtifactReadsBackUnderItsArtifactKey() {
    ObjectInfo stored = put(NAME, "hello");

    assertThat(stored.key()).isEqualTo(ObjectKey.of("artifacts/acme/task-456/reports/summary.json"));
    try (ObjectContent content = artifacts.getArtifact(ACME, TASK, NAME, ReadRange.all())) {
      assertThat(new String(content.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    assertThat(artifacts.headArtifact(ACME, TASK, NAME)).as("head equals what put returned").contains(stored);
  }

  @Test
  void aRangeOfAnArtifactCanBeRead() {
    put(NAME, "hello world");

    try (ObjectContent content = artifacts.getArtifact(ACME, TASK, NAME, ReadRange.of(6, 5))) {
      assertThat(new String(content.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("world");
    }
  }

  @Test
  void everyArtifactCarriesTheCostTags() {
    put(NAME, "x");

    assertThat(store.getTags(ObjectKey.artifact(ACME, TASK, NAME))).as("cost tags").isEqualTo(Map.of(
        "grey-tenant-id", "acme", "grey-task-id", "task-456", "grey-environment", "production"));
  }

  @Test
  void onAStoreWithoutTagsArtifactsAndProofsAreWrittenWithoutCostTags() {
    InMemoryStore untagged = new InMemoryStore("untagged", clock, false);
    ArtifactStore over = new ArtifactStore(untagged, NodeKey.loadOrCreate(dir), "production", clock);

    over.storeArtifactWithTags(ACME, TASK, NAME, body("x"), 1, Map.of());
    over.storeProof(ACME, TASK, new ProofClaim("sev-snp", "abc123"));

    assertThat(untagged.getTags(ObjectKey.artifact(ACME, TASK, NAME))).as("no cost tags were sent").isEmpty();
    assertThat(over.proofs(ACME, TASK)).as("the proof was stored").hasSize(1);
  }

  @Test
  void onAStoreWithoutTagsCallerTagsAreRefusedRatherThanDropped() {
    InMemoryStore untagged = new InMemoryStore("untagged", clock, false);
    ArtifactStore over = new ArtifactStore(untagged, NodeKey.loadOrCreate(dir), "production", clock);

    assertThatThrownBy(() -> over.storeArtifactWithTags(ACME, TASK, NAME, body("x"), 1, Map.of("team", "infra")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no tags capability");
    assertThat(untagged.head(ObjectKey.artifact(ACME, TASK, NAME))).as("nothing was written").isEmpty();
  }

  @Test
  void callerTagsAreKeptBesideTheCostTags() {
    artifacts.storeArtifactWithTags(ACME, TASK, NAME, body("x"), 1, Map.of("team", "platform"));

    assertThat(store.getTags(ObjectKey.artifact(ACME, TASK, NAME)))
        .containsEntry("team", "platform").containsEntry("grey-tenant-id", "acme").hasSize(4);
  }

  @Test
  void aCallerTagNamedLikeACostTagIsRefusedAndNothingIsWritten() {
    assertThatThrownBy(() -> artifacts.storeArtifactWithTags(ACME, TASK, NAME, body("x"), 1,
        Map.of("grey-tenant-id", "globex")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'grey-tenant-id' is a cost tag");
    assertThat(artifacts.headArtifact(ACME, TASK, NAME)).as("nothing written").isEmpty();
  }

  @Test
  void aCostTagNameInOtherCaseIsRefusedToo() {
    assertThatThrownBy(() -> artifacts.storeArtifact(ACME, TASK, NAME, body("x"),
        PutOptions.ofLength(1).withTags(Map.of("Grey-Environment", "dev"))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("cost tag");
  }

  @Test
  void moreThanSevenCallerTagsAreRefused() {
    Map<String, String> eight = Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7",
        "h", "8");

    assertThatThrownBy(() -> artifacts.storeArtifactWithTags(ACME, TASK, NAME, body("x"), 1, eight))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 7 tags per artifact");
  }

  @Test
  void optionsArePassedThroughIncludingIfAbsent() {
    PutOptions create = PutOptions.ofLength(1).withCondition(WriteCondition.ifAbsent())
        .withContentType("text/plain").withMetadata(Map.of("origin", "ci"));
    ObjectInfo first = artifacts.storeArtifact(ACME, TASK, NAME, body("a"), create);

    assertThat(first.contentType()).isEqualTo("text/plain");
    assertThat(first.metadata()).containsEntry("origin", "ci");
    assertThatThrownBy(() -> artifacts.storeArtifact(ACME, TASK, NAME, body("b"), create))
        .as("a second create-only write").isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void theKnownLengthReachesTheStoreWhichRefusesALongerBody() {
    assertThatThrownBy(() -> artifacts.storeArtifactWithTags(ACME, TASK, NAME, body("abcdef"), 3, Map.of()))
        .as("the store checked the body against the given length").isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("longer than its content length 3");
    assertThat(artifacts.headArtifact(ACME, TASK, NAME)).as("nothing written").isEmpty();
  }

  @Test
  void ifVersionReplacesTheCurrentVersion() {
    ObjectInfo v1 = put(NAME, "one");

    ObjectInfo v2 = artifacts.storeArtifactIfVersion(ACME, TASK, NAME, body("two"), 3, v1.version());

    assertThat(v2.version()).isNotEqualTo(v1.version());
    try (ObjectContent content = artifacts.getArtifact(ACME, TASK, NAME, ReadRange.all())) {
      assertThat(new String(content.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two");
    }
  }

  @Test
  void ifVersionWithAStaleVersionIsRefusedAndChangesNothing() {
    ObjectInfo v1 = put(NAME, "one");
    put(NAME, "two");

    assertThatThrownBy(() -> artifacts.storeArtifactIfVersion(ACME, TASK, NAME, body("three"), 5, v1.version()))
        .isInstanceOf(PreconditionFailedException.class);
    try (ObjectContent content = artifacts.getArtifact(ACME, TASK, NAME, ReadRange.all())) {
      assertThat(new String(content.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two");
    }
  }

  @Test
  void ifVersionOnAnAbsentArtifactIsRefused() {
    assertThatThrownBy(() -> artifacts.storeArtifactIfVersion(ACME, TASK, NAME, body("x"), 1, "v1"))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void anEmptyExpectedVersionIsRefusedRatherThanTakenAsAbsent() {
    assertThatThrownBy(() -> artifacts.storeArtifactIfVersion(ACME, TASK, NAME, body("x"), 1, ""))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(artifacts.headArtifact(ACME, TASK, NAME)).isEmpty();
  }

  @Test
  void listingReturnsOnlyTheTasksArtifactsPageByPage() {
    put(new ArtifactName("a"), "1");
    put(new ArtifactName("b"), "2");
    put(new ArtifactName("c"), "3");
    artifacts.storeArtifactWithTags(ACME, new TaskId("task-4567"), new ArtifactName("z"), body("x"), 1, Map.of());
    artifacts.storeArtifactWithTags(new Tenant("globex"), TASK, new ArtifactName("a"), body("x"), 1, Map.of());

    ListPage first = artifacts.listArtifacts(ACME, TASK, "", 2);
    ListPage second = artifacts.listArtifacts(ACME, TASK, first.nextToken(), 2);

    assertThat(first.objects()).extracting(o -> o.key().value())
        .containsExactly("artifacts/acme/task-456/a", "artifacts/acme/task-456/b");
    assertThat(second.objects()).extracting(o -> o.key().value())
        .as("no artifact of task-4567 or of globex").containsExactly("artifacts/acme/task-456/c");
    assertThat(second.nextToken()).isEmpty();
  }

  @Test
  void deleteIsIdempotent() {
    put(NAME, "x");

    assertThat(artifacts.deleteArtifact(ACME, TASK, NAME)).as("first delete finds it").isTrue();
    assertThat(artifacts.deleteArtifact(ACME, TASK, NAME)).as("second delete finds nothing").isFalse();
  }

  @Test
  void presignAsksTheStoreForAGetUrlOfTheArtifactKey() {
    assertThat(artifacts.presignArtifact(ACME, TASK, NAME, Duration.ofMinutes(5)).toString())
        .isEqualTo("mem://mem/artifacts/acme/task-456/reports/summary.json?method=GET");
  }

  @Test
  void anEnvironmentThatIsNotATagValueIsRefused() {
    assertThatThrownBy(() -> new ArtifactStore(store, NodeKey.loadOrCreate(dir), "prod*", clock))
        .isInstanceOf(InvalidRequestException.class);
  }
}
