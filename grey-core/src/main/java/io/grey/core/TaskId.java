package io.grey.core;

/**
 * The id of a unit of distributed work whose artifacts and proofs Grey keeps. Matches
 * {@code [A-Za-z0-9][A-Za-z0-9._-]{0,62}}.
 *
 * @param value the task id
 * @throws InvalidKeyException if the id breaks the rule
 */
public record TaskId(String value) {
  public TaskId {
    KeyRules.identifier("task id", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
