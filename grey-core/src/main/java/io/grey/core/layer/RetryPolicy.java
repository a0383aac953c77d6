package io.grey.core.layer;

import io.grey.core.InvalidRequestException;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently to repeat a call that failed with a retryable error: up to {@code maxRetries}
 * repeats after the first attempt, waiting an exponentially growing, fully jittered delay before each.
 *
 * @param maxRetries repeats after the first attempt, 0-100 (0 disables retrying)
 * @param baseDelay the upper bound of the delay before the first repeat; positive
 * @param maxDelay the cap on every delay's upper bound; at least {@code baseDelay}
 * @throws InvalidRequestException naming the field that is out of range
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
  /** The most repeats a policy may ask for; beyond this a caller wants a queue, not a retry loop. */
  public static final int MAX_RETRIES = 100;

  public RetryPolicy {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
      throw new InvalidRequestException("retry max_retries must be 0-" + MAX_RETRIES + ", got " + maxRetries);
    }
    if (baseDelay.isNegative() || baseDelay.isZero()) {
      throw new InvalidRequestException("retry base_delay must be positive, got " + baseDelay);
    }
    if (maxDelay.isNegative() || maxDelay.isZero()) {
      throw new InvalidRequestException("retry max_delay must be positive, got " + maxDelay);
    }
    if (baseDelay.compareTo(maxDelay) > 0) {
      throw new InvalidRequestException(
          "retry base_delay " + baseDelay + " must not exceed max_delay " + maxDelay);
    }
  }

  /** Grey's default: 5 retries, 100 ms base delay, 30 s cap. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(30));
  }

  /** A policy that never repeats a call. */
  public static RetryPolicy none() {
    return new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1));
  }

  /** The most calls this policy makes for one operation: the first attempt plus the retries. */
  public int maxAttempts() {
    return maxRetries + 1;
  }

  /**
   * The upper bound of the delay before retry {@code retry} (0 for the first retry):
   * {@code min(maxDelay, baseDelay * 2^retry)}, computed without overflow.
   *
   * @throws InvalidRequestException if {@code retry} is negative
   */
  public Duration delayBound(int retry) {
    if (retry < 0) {
      throw new InvalidRequestException("retry number must be >= 0, got " + retry);
    }
    long base = baseDelay.toNanos();
    long max = maxDelay.toNanos();
    // base <= max, so once base * 2^retry passes max (or would overflow) the cap is the answer.
    if (retry >= 63 || base > (max >> retry)) {
      return maxDelay;
    }
    return Duration.ofNanos(Math.min(max, base << retry));
  }

  /**
   * The delay before retry {@code retry} with full jitter: uniformly random in {@code [0, delayBound(retry)]},
   * drawn from {@code random}, so that many clients failing together do not retry together.
   */
  public Duration backoff(int retry, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    long bound = delayBound(retry).toNanos();
    return Duration.ofNanos(random.nextLong(0, bound + 1));
  }
}
