package io.grey.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.IntegrityException;
import io.grey.core.InvalidKeyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.TaskId;
import io.grey.core.Tenant;
import io.grey.core.TestClock;
import io.grey.core.layer.InMemoryStore;
import io.grey.core.store.Digests;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProofTest {
  private static final Tenant ACME = new Tenant("acme");
  private static final TaskId TASK = new TaskId("task-456");
  private static final ProofClaim CLAIM = new ProofClaim("SGX", "abc123");

  @TempDir Path dir;
  @TempDir Path otherDir;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(1706918400));
  private final InMemoryStore store = new InMemoryStore("mem", clock);
  private NodeKey key;
  private ArtifactStore artifacts;

  @BeforeEach
  void open() {
    key = NodeKey.loadOrCreate(dir);
    artifacts = new ArtifactStore(store, key, "production", clock);
  }

  /** Rewrites the stored proof's JSON through the store, as someone with write access could. */
  private void tamper(SignedProof proof, UnaryOperator<SignedProof> change) {
    byte[] json = change.apply(proof).toJson().getBytes(StandardCharsets.UTF_8);
    store.put(ObjectKey.proof(ACME, TASK, proof.id()), new ByteArrayInputStream(json),
        PutOptions.ofLength(json.length));
  }

  @Test
  void aStoredProofCarriesTheClaimTheClockSecondAndTheNodeKeyId() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);

    assertThat(proof.taskId()).isEqualTo("task-456");
    assertThat(proof.platform()).isEqualTo("SGX");
    assertThat(proof.measurement()).isEqualTo("abc123");
    assertThat(proof.timestamp()).as("epoch seconds from the clock").isEqualTo(1706918400L);
    assertThat(proof.keyId()).isEqualTo(key.keyId());
    assertThat(Base64.getDecoder().decode(proof.signature())).as("Ed25519 signature").hasSize(64);
  }

  @Test
  void theIdIsTheShortHashOfTheLengthPrefixedFields() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);

    byte[] expected = lengthPrefixed("grey-proof-v1", "task-456", "SGX", "abc123", "1706918400", key.keyId());
    assertThat(proof.id()).isEqualTo(Digests.sha256Hex(expected).substring(0, 32));
  }

  @Test
  void theEncodingDistinguishesFieldsThatConcatenateAlike() {
    byte[] a = Proofs.signedBytes("t", "ab", "c", 1, "k");
    byte[] b = Proofs.signedBytes("t", "a", "bc", 1, "k");

    assertThat(Proofs.idOf(a)).as("moving a character between fields changes the id").isNotEqualTo(Proofs.idOf(b));
  }

  @Test
  void theProofIsStoredAsJsonUnderItsProofKey() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);

    ObjectKey at = ObjectKey.proof(ACME, TASK, proof.id());
    String json = new String(store.body(at), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"id\":\"" + proof.id() + "\",\"task_id\":\"task-456\",\"platform\":\"SGX\","
        + "\"measurement\":\"abc123\",\"timestamp\":1706918400,\"key_id\":\"" + key.keyId() + "\",\"signature\":");
    assertThat(SignedProof.fromJson(json)).isEqualTo(proof);
    assertThat(store.head(at)).get().extracting(i -> i.contentType()).isEqualTo("application/json");
    assertThat(store.getTags(at)).containsEntry("grey-tenant-id", "acme").containsEntry("grey-task-id", "task-456");
  }

  @Test
  void storingTheSameProofTwiceReturnsTheStoredOne() {
    SignedProof first = artifacts.storeProof(ACME, TASK, CLAIM);
    String versionBefore = store.head(ObjectKey.proof(ACME, TASK, first.id())).orElseThrow().version();

    SignedProof second = artifacts.storeProof(ACME, TASK, CLAIM);

    assertThat(second).isEqualTo(first);
    assertThat(store.head(ObjectKey.proof(ACME, TASK, first.id())).orElseThrow().version())
        .as("not rewritten").isEqualTo(versionBefore);
  }

  @Test
  void anotherSecondGivesAnotherProof() {
    SignedProof first = artifacts.storeProof(ACME, TASK, CLAIM);
    clock.advance(Duration.ofSeconds(1));
    SignedProof second = artifacts.storeProof(ACME, TASK, CLAIM);

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(artifacts.proofs(ACME, TASK)).as("both, oldest first").containsExactly(first, second);
  }

  @Test
  void proofsListsOnlyTheTasksProofs() {
    SignedProof mine = artifacts.storeProof(ACME, TASK, CLAIM);
    artifacts.storeProof(ACME, new TaskId("task-4567"), CLAIM);
    artifacts.storeProof(new Tenant("globex"), TASK, CLAIM);

    assertThat(artifacts.proofs(ACME, TASK)).containsExactly(mine);
  }

  @Test
  void anExistingObjectWithADifferentProofUnderTheIdIsAnIntegrityError() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    tamper(proof, p -> new SignedProof(p.id(), p.taskId(), "TDX", p.measurement(), p.timestamp(), p.keyId(),
        p.signature()));

    assertThatThrownBy(() -> artifacts.storeProof(ACME, TASK, CLAIM)).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("already exists with different content");
  }

  @Test
  void anUntouchedProofVerifies() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);

    assertThat(artifacts.verifyProof(ACME, TASK, proof.id())).isEqualTo(ProofVerification.ok());
    assertThat(Proofs.verify(proof, NodeKey.readPublicKey(dir.resolve("node-ed25519.pub"))))
        .as("offline verification with the published key").isEqualTo(ProofVerification.ok());
  }

  @Test
  void aTamperedIdIsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    tamper(proof, p -> new SignedProof("0".repeat(32), p.taskId(), p.platform(), p.measurement(), p.timestamp(),
        p.keyId(), p.signature()));

    ProofVerification result = artifacts.verifyProof(ACME, TASK, proof.id());
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("id '" + "0".repeat(32) + "'");
  }

  @Test
  void aTamperedTaskIdIsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    tamper(proof, p -> new SignedProof(p.id(), "task-999", p.platform(), p.measurement(), p.timestamp(),
        p.keyId(), p.signature()));

    ProofVerification result = artifacts.verifyProof(ACME, TASK, proof.id());
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("task_id 'task-999' does not match");
  }

  @Test
  void aTamperedPlatformIsDetected() {
    assertTamperedSignedFieldDetected(p -> new SignedProof(p.id(), p.taskId(), "TDX", p.measurement(),
        p.timestamp(), p.keyId(), p.signature()));
  }

  @Test
  void aTamperedMeasurementIsDetected() {
    assertTamperedSignedFieldDetected(p -> new SignedProof(p.id(), p.taskId(), p.platform(), "abc124",
        p.timestamp(), p.keyId(), p.signature()));
  }

  @Test
  void aTamperedTimestampIsDetected() {
    assertTamperedSignedFieldDetected(p -> new SignedProof(p.id(), p.taskId(), p.platform(), p.measurement(),
        p.timestamp() + 1, p.keyId(), p.signature()));
  }

  @Test
  void aTamperedKeyIdIsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    tamper(proof, p -> new SignedProof(p.id(), p.taskId(), p.platform(), p.measurement(), p.timestamp(),
        "0123456789abcdef", p.signature()));

    ProofVerification result = artifacts.verifyProof(ACME, TASK, proof.id());
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("key_id '0123456789abcdef' is not this node's key");
  }

  @Test
  void aTamperedSignatureIsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    byte[] sig = Base64.getDecoder().decode(proof.signature());
    sig[10] ^= 1;
    String flipped = Base64.getEncoder().encodeToString(sig);
    tamper(proof, p -> new SignedProof(p.id(), p.taskId(), p.platform(), p.measurement(), p.timestamp(),
        p.keyId(), flipped));

    ProofVerification result = artifacts.verifyProof(ACME, TASK, proof.id());
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("signature does not verify");
  }

  @Test
  void aSignatureThatIsNotBase64IsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    tamper(proof, p -> new SignedProof(p.id(), p.taskId(), p.platform(), p.measurement(), p.timestamp(),
        p.keyId(), "not base64!"));

    assertThat(artifacts.verifyProof(ACME, TASK, proof.id()).reason()).isEqualTo("signature is not base64");
  }

  @Test
  void aProofSignedByAnotherKeyIsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    NodeKey other = NodeKey.loadOrCreate(otherDir);

    ProofVerification offline = Proofs.verify(proof, other.publicKey());
    ProofVerification online = new ArtifactStore(store, other, "production", clock).verifyProof(ACME, TASK,
        proof.id());

    assertThat(offline.valid()).isFalse();
    assertThat(offline.reason()).startsWith("key_id '" + key.keyId() + "' is not the id of the verifying key");
    assertThat(online.valid()).isFalse();
    assertThat(online.reason()).contains("is not this node's key");
  }

  @Test
  void aProofResignedByAnotherKeyUnderTheOriginalKeyIdIsDetected() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    NodeKey other = NodeKey.loadOrCreate(otherDir);
    byte[] signed = Proofs.signedBytes(proof.taskId(), proof.platform(), proof.measurement(), proof.timestamp(),
        proof.keyId());
    String forged = Base64.getEncoder().encodeToString(other.sign(signed));
    tamper(proof, p -> new SignedProof(p.id(), p.taskId(), p.platform(), p.measurement(), p.timestamp(),
        p.keyId(), forged));

    assertThat(artifacts.verifyProof(ACME, TASK, proof.id()).reason()).startsWith("signature does not verify");
  }

  @Test
  void malformedStoredJsonIsInvalid() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    byte[] junk = "{\"id\": 1}".getBytes(StandardCharsets.UTF_8);
    store.put(ObjectKey.proof(ACME, TASK, proof.id()), new ByteArrayInputStream(junk),
        PutOptions.ofLength(junk.length));

    ProofVerification result = artifacts.verifyProof(ACME, TASK, proof.id());
    assertThat(result.valid()).isFalse();
    assertThat(result.reason()).startsWith("stored proof is malformed");
  }

  @Test
  void aMissingProofIsNotFound() {
    assertThatThrownBy(() -> artifacts.verifyProof(ACME, TASK, "0123456789abcdef0123456789abcdef"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aProofIdThatIsNotAnIdentifierIsRefused() {
    assertThatThrownBy(() -> artifacts.verifyProof(ACME, TASK, "../x")).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void claimsMustBeNonEmptyBoundedAndPrintable() {
    assertThatThrownBy(() -> new ProofClaim("", "m")).isInstanceOf(InvalidRequestException.class)
        .hasMessage("proof platform must not be empty");
    assertThatThrownBy(() -> new ProofClaim("x".repeat(65), "m")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 64");
    assertThatThrownBy(() -> new ProofClaim("SGX", "m".repeat(4097))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 4096");
    assertThatThrownBy(() -> new ProofClaim("SGX", "a\nb")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("U+000A");
    assertThatThrownBy(() -> new ProofClaim("S\u200bGX", "m")).as("zero-width space")
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void proofJsonWithExtraOrMissingFieldsIsRefused() {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    String json = proof.toJson();

    assertThatThrownBy(() -> SignedProof.fromJson(json.replace("}", ",\"extra\":1}")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("exactly the fields");
    assertThatThrownBy(() -> SignedProof.fromJson(json.replace("\"timestamp\":1706918400", "\"timestamp\":\"x\"")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("timestamp must be an integer");
    assertThatThrownBy(() -> SignedProof.fromJson("not json")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void proofJsonWithADuplicatedFieldOrTrailingTextIsRefused() {
    String json = artifacts.storeProof(ACME, TASK, CLAIM).toJson();

    assertThatThrownBy(() -> SignedProof.fromJson(json.replace("{", "{\"platform\":\"TDX\",")))
        .as("platform given twice").isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Duplicate field 'platform'");
    assertThatThrownBy(() -> SignedProof.fromJson(json + " {}")).as("trailing object")
        .isInstanceOf(InvalidRequestException.class);
  }

  private void assertTamperedSignedFieldDetected(UnaryOperator<SignedProof> change) {
    SignedProof proof = artifacts.storeProof(ACME, TASK, CLAIM);
    tamper(proof, change);

    ProofVerification result = artifacts.verifyProof(ACME, TASK, proof.id());
    assertThat(result.valid()).as("tampered proof is invalid").isFalse();
    assertThat(result.reason()).as("reason names the signed fields")
        .contains("is not the hash of the signed fields (task_id, platform, measurement, timestamp, key_id)");
    assertThat(Proofs.verify(change.apply(proof), key.publicKey()).valid()).as("offline check agrees").isFalse();
  }

  private static byte[] lengthPrefixed(String... fields) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String f : fields) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }
}
