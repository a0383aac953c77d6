package io.grey.core.store;

import io.grey.core.InvalidRequestException;
import java.util.Map;

/** The tag rules every store accepts: the common subset of S3 object tags, GCS metadata and Azure index tags. */
public final class Tags {
  /** At most this many tags per object (the S3 limit). */
  public static final int MAX_TAGS = 10;

  private Tags() {}

  /**
   * Checks that {@code tags} fit every cloud: at most 10, keys 1-128 and values 0-256 characters of letters,
   * digits, space and {@code + - = . _ : /}.
   *
   * @throws InvalidRequestException naming the offending tag
   */
  public static void validate(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw new InvalidRequestException("at most " + MAX_TAGS + " tags per object, got " + tags.size());
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (!e.getKey().matches("[A-Za-z0-9 +\\-=._:/]{1,128}")) {
        throw new InvalidRequestException("tag key '" + e.getKey()
            + "' must be 1-128 characters of letters, digits, space and + - = . _ : /");
      }
      if (!e.getValue().matches("[A-Za-z0-9 +\\-=._:/]{0,256}")) {
        throw new InvalidRequestException("tag value of '" + e.getKey()
            + "' must be 0-256 characters of letters, digits, space and + - = . _ : /");
      }
    }
  }
}
