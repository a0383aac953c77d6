package io.grey.core.artifact;

import java.util.Objects;

/**
 * The outcome of checking a proof.
 *
 * @param valid whether the proof is intact and signed by the expected key
 * @param reason "ok" when valid, otherwise which field or check failed
 */
public record ProofVerification(boolean valid, String reason) {
  public ProofVerification {
    Objects.requireNonNull(reason, "reason");
  }

  /** A valid proof. */
  public static ProofVerification ok() {
    return new ProofVerification(true, "ok");
  }

  /** An invalid proof, for {@code reason}. */
  public static ProofVerification invalid(String reason) {
    return new ProofVerification(false, reason);
  }
}
