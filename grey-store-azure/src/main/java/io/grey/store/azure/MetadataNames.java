package io.grey.store.azure;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps Grey's user-metadata keys ({@code [a-z0-9][a-z0-9_-]*}) to Azure metadata names, which must be C#
 * identifiers (letters, digits and '_', not starting with a digit) and are compared case-insensitively.
 *
 * <p>A user key {@code k} is stored as {@code u_} followed by {@code k} with every '_' written as {@code _u} and
 * every '-' as {@code _d}: {@code build-id} becomes {@code u_build_did}, {@code stage_name} becomes
 * {@code u_stage_uname}. The mapping is injective and reversible, every encoded name is lower-case, and no
 * encoded name can equal Grey's own entries {@code grey_sha256} and {@code grey_size}. Metadata names that
 * follow neither form (written by other tools) are left out of Grey's view.
 */
final class MetadataNames {
  static final String SHA256 = "grey_sha256";
  static final String SIZE = "grey_size";
  private static final String USER = "u_";

  private MetadataNames() {}

  static String encode(String greyKey) {
    StringBuilder sb = new StringBuilder(USER.length() + greyKey.length() * 2).append(USER);
    for (int i = 0; i < greyKey.length(); i++) {
      char c = greyKey.charAt(i);
      switch (c) {
        case '_' -> sb.append("_u");
        case '-' -> sb.append("_d");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The Grey key of an Azure metadata name, if it is an encoded user key. */
  static Optional<String> decode(String azureName) {
    String name = azureName.toLowerCase(Locale.ROOT);
    if (!name.startsWith(USER)) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = USER.length(); i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_') {
        sb.append(c);
        continue;
      }
      if (i + 1 >= name.length()) {
        return Optional.empty();
      }
      char next = name.charAt(++i);
      if (next == 'u') {
        sb.append('_');
      } else if (next == 'd') {
        sb.append('-');
      } else {
        return Optional.empty();
      }
    }
    return sb.isEmpty() ? Optional.empty() : Optional.of(sb.toString());
  }

  /** The Azure metadata of a Grey object: its user metadata plus the recorded SHA-256 and size. */
  static Map<String, String> toAzure(Map<String, String> userMetadata, String sha256, long size) {
    Map<String, String> azure = new HashMap<>();
    userMetadata.forEach((k, v) -> azure.put(encode(k), v));
    azure.put(SHA256, sha256);
    azure.put(SIZE, Long.toString(size));
    return azure;
  }

  /** The user metadata in an Azure metadata map. */
  static Map<String, String> userMetadata(Map<String, String> azure) {
    Map<String, String> user = new HashMap<>();
    if (azure != null) {
      azure.forEach((k, v) -> decode(k).ifPresent(key -> user.put(key, v)));
    }
    return user;
  }

  /** A Grey entry of an Azure metadata map, looked up case-insensitively as Azure compares names. */
  static Optional<String> greyEntry(Map<String, String> azure, String name) {
    if (azure == null) {
      return Optional.empty();
    }
    String exact = azure.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    return azure.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
        .findFirst();
  }
}
