package io.grey.core;

import java.nio.charset.StandardCharsets;

/**
 * The name of an artifact within a task: 1-512 bytes of '/'-separated segments, each segment following the
 * task-id rule. '.', '..', empty segments, control characters, backslashes and percent-encoded dots are
 * rejected, so a name can never climb out of its task.
 *
 * @param value the name, for example {@code reports/summary.json}
 * @throws InvalidKeyException naming the broken rule
 */
public record ArtifactName(String value) {
  public static final int MAX_BYTES = 512;

  public ArtifactName {
    KeyRules.path("artifact name", value, MAX_BYTES);
    for (String segment : value.split("/")) {
      KeyRules.identifier("artifact name segment", segment);
    }
  }

  /** The UTF-8 length of the name. */
  public int byteLength() {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public String toString() {
    return value;
  }
}
