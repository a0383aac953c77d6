package io.grey.core.config;

import io.grey.core.ConfigException;
import io.grey.core.InvalidRequestException;
import io.grey.core.layer.RetryPolicy;
import java.time.Duration;

/**
 * The {@code retry:} section: the retry policy of every store call. Follows the {@link RetryPolicy} rules.
 *
 * @param maxRetries repeats after the first attempt ({@code max_retries}, 0-100, default 5)
 * @param baseDelay the first backoff bound ({@code base_delay}, positive, default 100ms)
 * @param maxDelay the cap on every backoff ({@code max_delay}, at least base_delay, default 30s)
 * @throws ConfigException naming the key that is out of range
 */
public record RetryConfig(int maxRetries, Duration baseDelay, Duration maxDelay) {
  public RetryConfig {
    try {
      new RetryPolicy(maxRetries, baseDelay, maxDelay);
    } catch (InvalidRequestException | NullPointerException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** Grey's default: 5 retries, 100 ms, 30 s. */
  public static RetryConfig defaults() {
    RetryPolicy p = RetryPolicy.defaults();
    return new RetryConfig(p.maxRetries(), p.baseDelay(), p.maxDelay());
  }

  /** The policy the retry layer applies. */
  public RetryPolicy policy() {
    return new RetryPolicy(maxRetries, baseDelay, maxDelay);
  }

  static RetryConfig read(ConfigSection s) {
    RetryConfig d = defaults();
    int maxRetries = s.integer("max_retries", d.maxRetries(), (path, v) -> {
      if (v < 0 || v > RetryPolicy.MAX_RETRIES) {
        throw Check.fail(path, "must be 0-" + RetryPolicy.MAX_RETRIES + ", got " + v);
      }
    });
    Duration base = s.duration("base_delay", d.baseDelay(), Check::positive);
    Duration max = s.duration("max_delay", d.maxDelay(), Check::positive);
    return s.build(() -> new RetryConfig(maxRetries, base, max));
  }
}
