package io.grey.core.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, in lexicographic (code point) order of key.
 *
 * @param objects the objects of this page
 * @param nextToken the token for the next page, or "" when this is the last page
 */
public record ListPage(List<ObjectInfo> objects, String nextToken) {
  public ListPage {
    objects = List.copyOf(objects);
  }

  /** The token to continue from, if there are more keys. */
  public Optional<String> next() {
    return nextToken.isEmpty() ? Optional.empty() : Optional.of(nextToken);
  }
}
