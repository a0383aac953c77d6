package io.grey.core.store;

import io.grey.core.ObjectKey;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a store records about one object.
 *
 * @param key the object's key
 * @param size the body length in bytes
 * @param sha256 the lower-case hex SHA-256 of the whole body
 * @param version an opaque version token that changes whenever the object is rewritten (the local store makes
 *     it unique per write; a cloud ETag may repeat for identical bytes); used by {@link WriteCondition.IfVersion}
 * @param lastModified when this version was written
 * @param contentType the media type given at write time
 * @param metadata user metadata given at write time
 */
public record ObjectInfo(
    ObjectKey key,
    long size,
    String sha256,
    String version,
    Instant lastModified,
    String contentType,
    Map<String, String> metadata) {

  public ObjectInfo {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(lastModified, "lastModified");
    contentType = contentType == null ? PutOptions.DEFAULT_CONTENT_TYPE : contentType;
    metadata = Map.copyOf(metadata);
  }
}
