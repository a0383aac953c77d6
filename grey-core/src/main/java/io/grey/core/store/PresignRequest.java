package io.grey.core.store;

import io.grey.core.InvalidRequestException;
import java.time.Duration;
import java.util.Objects;

/**
 * A request for a time-limited URL that lets a holder without credentials read (or write) one object.
 *
 * @param method the HTTP method the URL allows
 * @param ttl how long the URL stays valid; 1 second to 7 days
 */
public record PresignRequest(Method method, Duration ttl) {
  public static final Duration MAX_TTL = Duration.ofDays(7);

  /** The HTTP method a presigned URL allows. */
  public enum Method { GET, PUT }

  public PresignRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new InvalidRequestException("presign ttl must be between 1 second and 7 days, got " + ttl);
    }
  }

  /** A GET URL valid for {@code ttl}. */
  public static PresignRequest get(Duration ttl) {
    return new PresignRequest(Method.GET, ttl);
  }
}
