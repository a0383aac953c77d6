package io.grey.core.lifecycle;

import io.grey.core.InvalidRequestException;
import io.grey.core.config.LifecycleRuleConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * An expiration rule the {@link LifecycleSweeper} applies: objects under {@code prefix} whose last write is
 * older than {@code expireAfter} are deleted.
 *
 * @param prefix the key prefix covered; non-empty
 * @param expireAfter the age after which an object is deleted; positive
 * @throws InvalidRequestException if the prefix is empty or the age not positive
 */
public record LifecycleRule(String prefix, Duration expireAfter) {
  public LifecycleRule {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(expireAfter, "expireAfter");
    if (prefix.isEmpty()) {
      throw new InvalidRequestException("lifecycle rule prefix must not be empty");
    }
    if (expireAfter.isZero() || expireAfter.isNegative()) {
      throw new InvalidRequestException("lifecycle rule expireAfter must be positive, got " + expireAfter);
    }
  }

  /**
   * The expiration part of a configured rule: {@code expiration_days} days. The rule's {@code transitions}
   * (storage-class changes) are left out: they only mean something to cloud backends, which apply them with
   * their own lifecycle features; the sweeper never moves objects between classes.
   */
  public static LifecycleRule from(LifecycleRuleConfig config) {
    return new LifecycleRule(config.prefix(), Duration.ofDays(config.expirationDays()));
  }
}
