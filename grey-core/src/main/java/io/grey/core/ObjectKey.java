package io.grey.core;

import java.util.Comparator;
import java.util.Optional;

/**
 * The key of one stored object: a '/'-separated path of at most 1024 UTF-8 bytes with no empty, '.' or '..'
 * segment, no control character, backslash or percent-encoded dot or slash. Any other Unicode is allowed.
 *
 * <p>Grey's own keys are built by the factories: {@code artifacts/{tenant}/{task}/{name}},
 * {@code proofs/{tenant}/{task}/{id}} and {@code state/{tenant}/{key}}. Because every component is validated,
 * no accepted input can produce a key outside its tenant's prefix.
 *
 * @param value the full key
 * @throws InvalidKeyException naming the broken rule
 */
public record ObjectKey(String value) implements Comparable<ObjectKey> {
  public static final int MAX_BYTES = 1024;

  /** Orders keys by Unicode code point, which equals the UTF-8 byte order clouds use for listings. */
  public static final Comparator<String> LEXICOGRAPHIC = ObjectKey::compareCodePoints;

  public ObjectKey {
    KeyRules.path("object key", value, MAX_BYTES);
  }

  /** Validates and wraps {@code value}. */
  public static ObjectKey of(String value) {
    return new ObjectKey(value);
  }

  /** {@code artifacts/{tenant}/{task}/{name}}. */
  public static ObjectKey artifact(Tenant tenant, TaskId task, ArtifactName name) {
    return new ObjectKey(DataClass.ARTIFACT.prefix() + "/" + tenant.value() + "/" + task.value() + "/" + name.value());
  }

  /** {@code proofs/{tenant}/{task}/{id}}; the id follows the task-id rule. */
  public static ObjectKey proof(Tenant tenant, TaskId task, String proofId) {
    KeyRules.identifier("proof id", proofId);
    return new ObjectKey(DataClass.PROOF.prefix() + "/" + tenant.value() + "/" + task.value() + "/" + proofId);
  }

  /** {@code state/{tenant}/{key}}; the state key is a path under the same rules as an object key. */
  public static ObjectKey state(Tenant tenant, String stateKey) {
    KeyRules.path("state key", stateKey, MAX_BYTES - 64 - DataClass.STATE.prefix().length());
    return new ObjectKey(DataClass.STATE.prefix() + "/" + tenant.value() + "/" + stateKey);
  }

  /** The prefix under which all of a tenant's objects of {@code dataClass} live, ending in '/'. */
  public static String tenantPrefix(DataClass dataClass, Tenant tenant) {
    return dataClass.prefix() + "/" + tenant.value() + "/";
  }

  /** The data class this key belongs to, from its first segment. */
  public Optional<DataClass> dataClass() {
    int slash = value.indexOf('/');
    return DataClass.ofPrefix(slash < 0 ? value : value.substring(0, slash));
  }

  /** The tenant named by the second segment of a Grey-shaped key. */
  public Optional<Tenant> tenant() {
    if (dataClass().isEmpty()) {
      return Optional.empty();
    }
    String[] parts = value.split("/", 3);
    if (parts.length < 3 || !KeyRules.IDENTIFIER.matcher(parts[1]).matches()) {
      return Optional.empty();
    }
    return Optional.of(new Tenant(parts[1]));
  }

  /** Whether this key lies under {@code prefix} (plain string prefix). */
  public boolean startsWith(String prefix) {
    return value.startsWith(prefix);
  }

  @Override
  public int compareTo(ObjectKey other) {
    return compareCodePoints(value, other.value);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  @Override
  public String toString() {
    return value;
  }
}
