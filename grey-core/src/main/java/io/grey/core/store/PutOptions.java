package io.grey.core.store;

import io.grey.core.InvalidRequestException;
import java.util.Map;
import java.util.Objects;

/**
 * How to write one object.
 *
 * @param contentLength the body's exact length in bytes, or {@link #UNKNOWN_LENGTH} to stream until EOF
 * @param condition the write precondition
 * @param contentType the media type recorded with the object
 * @param metadata user metadata (lower-case ASCII keys), stored with the object and returned by head/get
 * @param tags tags (for example the cost tags {@code grey-tenant-id}); stored with the object
 */
public record PutOptions(
    long contentLength,
    WriteCondition condition,
    String contentType,
    Map<String, String> metadata,
    Map<String, String> tags) {

  public static final long UNKNOWN_LENGTH = -1;
  public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  public PutOptions {
    if (contentLength < UNKNOWN_LENGTH) {
      throw new InvalidRequestException("content length must be >= 0 or unknown (-1), got " + contentLength);
    }
    Objects.requireNonNull(condition, "condition");
    contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    metadata = Map.copyOf(metadata);
    tags = Map.copyOf(tags);
    for (String key : metadata.keySet()) {
      if (!key.matches("[a-z0-9][a-z0-9_-]{0,127}")) {
        throw new InvalidRequestException(
            "metadata key '" + key + "' must be lower-case ASCII letters, digits, '_' or '-' (at most 128)");
      }
    }
    Tags.validate(tags);
  }

  /** Unknown length, unconditional, no metadata or tags. */
  public static PutOptions defaults() {
    return new PutOptions(UNKNOWN_LENGTH, WriteCondition.none(), DEFAULT_CONTENT_TYPE, Map.of(), Map.of());
  }

  /** Known length {@code length}, otherwise defaults. */
  public static PutOptions ofLength(long length) {
    return defaults().withLength(length);
  }

  public PutOptions withLength(long length) {
    return new PutOptions(length, condition, contentType, metadata, tags);
  }

  public PutOptions withCondition(WriteCondition newCondition) {
    return new PutOptions(contentLength, newCondition, contentType, metadata, tags);
  }

  public PutOptions withContentType(String newContentType) {
    return new PutOptions(contentLength, condition, newContentType, metadata, tags);
  }

  public PutOptions withMetadata(Map<String, String> newMetadata) {
    return new PutOptions(contentLength, condition, contentType, newMetadata, tags);
  }

  public PutOptions withTags(Map<String, String> newTags) {
    return new PutOptions(contentLength, condition, contentType, metadata, newTags);
  }

  /** Whether the body length is known in advance. */
  public boolean lengthKnown() {
    return contentLength != UNKNOWN_LENGTH;
  }
}
