package io.grey.core.artifact;

import io.grey.core.store.Digests;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;

/**
 * Signing and offline verification of proofs.
 *
 * <p>The signed bytes of a proof are six fields, each written as a 4-byte big-endian length followed by that
 * many bytes of UTF-8: the label {@code grey-proof-v1}, {@code task_id}, {@code platform}, {@code measurement},
 * {@code timestamp} (decimal ASCII) and {@code key_id}. The length prefixes make the encoding unambiguous:
 * no two different field tuples give the same bytes. A proof's {@code id} is the first 32 hex characters of
 * the SHA-256 of those bytes; its {@code signature} is the base64 Ed25519 signature of them. Stateless and
 * thread-safe.
 */
public final class Proofs {
  static final String LABEL = "grey-proof-v1";

  private Proofs() {}

  /**
   * Checks {@code proof} against {@code key}: the key id, the id (hash of the signed fields) and the signature.
   * Checks nothing about where the proof was stored (see {@link ArtifactStore#verifyProof}).
   *
   * @return valid, or the first check that failed, naming the field
   */
  public static ProofVerification verify(SignedProof proof, PublicKey key) {
    String expectedKeyId = NodeKey.keyIdOf(key);
    if (!proof.keyId().equals(expectedKeyId)) {
      return ProofVerification.invalid("key_id '" + proof.keyId() + "' is not the id of the verifying key '"
          + expectedKeyId + "'");
    }
    byte[] signed = signedBytes(proof.taskId(), proof.platform(), proof.measurement(), proof.timestamp(),
        proof.keyId());
    if (!proof.id().equals(idOf(signed))) {
      return ProofVerification.invalid("id '" + proof.id() + "' is not the hash of the signed fields"
          + " (task_id, platform, measurement, timestamp, key_id): the id or one of those fields was changed");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(proof.signature());
    } catch (IllegalArgumentException e) {
      return ProofVerification.invalid("signature is not base64");
    }
    String mismatch = "signature does not verify over task_id, platform, measurement, timestamp and key_id"
        + " with key " + expectedKeyId;
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signed);
      return verifier.verify(signature) ? ProofVerification.ok() : ProofVerification.invalid(mismatch);
    } catch (SignatureException e) {
      // A signature that is not even a curve point is as wrong as one that does not match.
      return ProofVerification.invalid(mismatch);
    } catch (GeneralSecurityException e) {
      return ProofVerification.invalid("signature cannot be checked: " + e.getMessage());
    }
  }

  /** Signs {@code claim} for {@code taskId} at {@code timestamp} with {@code key}. */
  static SignedProof sign(String taskId, ProofClaim claim, long timestamp, NodeKey key) {
    byte[] signed = signedBytes(taskId, claim.platform(), claim.measurement(), timestamp, key.keyId());
    return new SignedProof(idOf(signed), taskId, claim.platform(), claim.measurement(), timestamp, key.keyId(),
        Base64.getEncoder().encodeToString(key.sign(signed)));
  }

  static byte[] signedBytes(String taskId, String platform, String measurement, long timestamp, String keyId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String field : new String[] {LABEL, taskId, platform, measurement, Long.toString(timestamp), keyId}) {
      byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  static String idOf(byte[] signedBytes) {
    return Digests.sha256Hex(signedBytes).substring(0, 32);
  }
}
