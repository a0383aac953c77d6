package io.grey.store.gcs;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How Grey lays out one object's custom metadata on Cloud Storage. Grey's user metadata keys
 * ({@code [a-z0-9][a-z0-9_-]*}) are stored as they are, so a console or {@code gcloud storage objects describe}
 * shows {@code build-id: 42}; Grey's own entries contain a ':', which no user key can, so nothing collides:
 * {@code grey:sha256} holds the body's SHA-256 and {@code grey:tag:<key>} one tag. In a tag key every '.' is
 * written {@code %2E} ('%' cannot occur in a tag key, so the mapping is reversible): the Java client turns a '.'
 * of a metadata key into a nested field when it builds a patch, which would make a tag with a dotted key
 * impossible to remove. Entries of any other shape (written by other tools) are left out of Grey's view.
 */
final class MetadataNames {
  static final String SHA256 = "grey:sha256";
  static final String TAG = "grey:tag:";

  private MetadataNames() {}

  /** The custom metadata of a Grey object: user metadata, tags and the recorded SHA-256. */
  static Map<String, String> toGcs(Map<String, String> userMetadata, Map<String, String> tags, String sha256) {
    Map<String, String> gcs = new LinkedHashMap<>(userMetadata);
    tags.forEach((k, v) -> gcs.put(tagName(k), v));
    gcs.put(SHA256, sha256);
    return gcs;
  }

  /** The user metadata in a custom metadata map. */
  static Map<String, String> userMetadata(Map<String, String> gcs) {
    Map<String, String> user = new HashMap<>();
    if (gcs != null) {
      gcs.forEach((k, v) -> {
        if (v != null && !k.contains(":")) {
          user.put(k, v);
        }
      });
    }
    return user;
  }

  static String tagName(String tagKey) {
    return TAG + tagKey.replace(".", "%2E");
  }

  /** The tags in a custom metadata map. */
  static Map<String, String> tags(Map<String, String> gcs) {
    Map<String, String> tags = new HashMap<>();
    if (gcs != null) {
      gcs.forEach((k, v) -> {
        if (v != null && k.startsWith(TAG) && k.length() > TAG.length()) {
          tags.put(k.substring(TAG.length()).replace("%2E", "."), v);
        }
      });
    }
    return tags;
  }

  /** The recorded SHA-256, if the object was written by Grey. */
  static Optional<String> sha256(Map<String, String> gcs) {
    return Optional.ofNullable(gcs == null ? null : gcs.get(SHA256));
  }

  /**
   * The metadata patch that replaces the tags of an object whose metadata is {@code current} with {@code tags}:
   * every old tag entry not kept is set to null (JSON API patch semantics: a null value removes the key), every new
   * one set; user metadata and the digest are not touched.
   */
  static Map<String, String> tagPatch(Map<String, String> current, Map<String, String> tags) {
    Map<String, String> patch = new HashMap<>();
    if (current != null) {
      current.keySet().stream().filter(k -> k.startsWith(TAG)).forEach(k -> patch.put(k, null));
    }
    tags.forEach((k, v) -> patch.put(tagName(k), v));
    return patch;
  }
}
