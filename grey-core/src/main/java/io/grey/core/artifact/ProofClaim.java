package io.grey.core.artifact;

import io.grey.core.InvalidRequestException;

/**
 * What a proof asserts: that a task ran on {@code platform} with the given {@code measurement} (for example an
 * enclave's code hash). Validated so that a stored proof is always printable and bounded.
 *
 * @param platform the execution platform, e.g. {@code SGX}; 1-64 printable characters
 * @param measurement the platform's measurement; 1-4096 printable characters
 * @throws InvalidRequestException naming the field and the rule it breaks
 */
public record ProofClaim(String platform, String measurement) {
  /** Longest platform name, in characters. */
  public static final int MAX_PLATFORM = 64;
  /** Longest measurement, in characters. */
  public static final int MAX_MEASUREMENT = 4096;

  public ProofClaim {
    printable("platform", platform, MAX_PLATFORM);
    printable("measurement", measurement, MAX_MEASUREMENT);
  }

  private static void printable(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException("proof " + field + " must not be empty");
    }
    if (value.length() > max) {
      throw new InvalidRequestException(
          "proof " + field + " is " + value.length() + " characters; at most " + max + " allowed");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
          || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        throw new InvalidRequestException(
            "proof %s must be printable (found U+%04X at index %d)".formatted(field, cp, i));
      }
      i += Character.charCount(cp);
    }
  }
}
