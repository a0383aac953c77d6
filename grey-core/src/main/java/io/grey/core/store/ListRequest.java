package io.grey.core.store;

import io.grey.core.InvalidRequestException;
import java.util.Objects;

/**
 * One page of a listing.
 *
 * @param prefix only keys starting with this string ("" for all)
 * @param startAfter only keys strictly after this one in lexicographic order ("" from the start); pass
 *     the previous page's {@code nextToken} to continue
 * @param limit at most this many keys (1-1000)
 */
public record ListRequest(String prefix, String startAfter, int limit) {
  public static final int MAX_LIMIT = 1000;

  public ListRequest {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(startAfter, "startAfter");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("list limit must be 1-" + MAX_LIMIT + ", got " + limit);
    }
  }

  /** The first page of up to 1000 keys under {@code prefix}. */
  public static ListRequest prefix(String prefix) {
    return new ListRequest(prefix, "", MAX_LIMIT);
  }

  public ListRequest withLimit(int newLimit) {
    return new ListRequest(prefix, startAfter, newLimit);
  }

  public ListRequest after(String token) {
    return new ListRequest(prefix, token, limit);
  }
}
