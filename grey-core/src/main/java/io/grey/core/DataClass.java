package io.grey.core;

import java.util.Optional;

/** The three kinds of data Grey keeps; each has its own key prefix and, in a multi-cloud setup, its own replication policy. */
public enum DataClass {
  ARTIFACT("artifacts"),
  PROOF("proofs"),
  STATE("state");

  private final String prefix;

  DataClass(String prefix) {
    this.prefix = prefix;
  }

  /** The first key segment of this class, for example {@code artifacts}. */
  public String prefix() {
    return prefix;
  }

  /** The data class whose prefix is {@code segment}, if any. */
  public static Optional<DataClass> ofPrefix(String segment) {
    for (DataClass c : values()) {
      if (c.prefix.equals(segment)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The config name of this class as in the seeds' {@code replication:} section: proofs, artifacts, state. */
  public String configName() {
    return prefix;
  }
}
