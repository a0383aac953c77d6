package io.grey.core.store;

import io.grey.core.InvalidRequestException;

/**
 * A precondition on a write. A store evaluates it atomically with the write; if it does not hold the store
 * throws {@link io.grey.core.PreconditionFailedException} and writes nothing.
 */
public sealed interface WriteCondition {

  /** Write unconditionally. */
  record None() implements WriteCondition {}

  /** Write only if no object exists under the key. */
  record IfAbsent() implements WriteCondition {}

  /**
   * Write only if the current object's version equals {@code version} (compare-and-swap).
   *
   * @param version a version token previously returned by the same store
   */
  record IfVersion(String version) implements WriteCondition {
    public IfVersion {
      if (version == null || version.isBlank()) {
        throw new InvalidRequestException("if-version condition needs a non-empty version token");
      }
    }
  }

  /** Unconditional. */
  static WriteCondition none() {
    return new None();
  }

  /** Only if absent. */
  static WriteCondition ifAbsent() {
    return new IfAbsent();
  }

  /** Only if the current version is {@code version}. */
  static WriteCondition ifVersion(String version) {
    return new IfVersion(version);
  }
}
