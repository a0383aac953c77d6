package io.grey.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void defaultsAreFiveRetriesFromOneHundredMillisecondsCappedAtThirtySeconds() {
    assertThat(RetryPolicy.defaults())
        .as("Grey's default retry policy")
        .isEqualTo(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertThat(RetryPolicy.defaults().maxAttempts()).as("first attempt plus five retries").isEqualTo(6);
  }

  @Test
  void retryCountsOutsideZeroToOneHundredAreRejected() {
    assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ofMillis(1), Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("max_retries");
    assertThatThrownBy(() -> new RetryPolicy(101, Duration.ofMillis(1), Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("0-100");
  }

  @Test
  void nonPositiveDelaysAreRejected() {
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("base_delay must be positive");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(-5)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("max_delay must be positive");
  }

  @Test
  void baseDelayAboveMaxDelayIsRejected() {
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must not exceed max_delay");
  }

  @Test
  void delayBoundDoublesFromBaseUntilTheCap() {
    RetryPolicy policy = RetryPolicy.defaults();
    assertThat(policy.delayBound(0)).as("first retry").isEqualTo(Duration.ofMillis(100));
    assertThat(policy.delayBound(1)).as("second retry").isEqualTo(Duration.ofMillis(200));
    assertThat(policy.delayBound(8)).as("ninth retry").isEqualTo(Duration.ofMillis(25_600));
    assertThat(policy.delayBound(9)).as("capped at max_delay").isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void delayBoundOfLateRetriesStaysAtTheCapWithoutOverflow() {
    RetryPolicy policy = new RetryPolicy(100, Duration.ofNanos(1), Duration.ofDays(1));
    assertThat(policy.delayBound(62)).as("2^62 ns exceeds a day").isEqualTo(Duration.ofDays(1));
    assertThat(policy.delayBound(63)).as("shift past the sign bit").isEqualTo(Duration.ofDays(1));
    assertThat(policy.delayBound(100)).as("shift past the word").isEqualTo(Duration.ofDays(1));
  }

  @Test
  void backoffIsBetweenZeroAndTheBoundForEveryRetryNumber() {
    RetryPolicy policy = new RetryPolicy(100, Duration.ofMillis(100), Duration.ofSeconds(30));
    SplittableRandom seeds = new SplittableRandom(2026);
    for (int retry = 0; retry <= 100; retry++) {
      for (int sample = 0; sample < 20; sample++) {
        long seed = seeds.nextLong();
        Duration delay = policy.backoff(retry, new SplittableRandom(seed));
        assertThat(delay).as("delay of retry %d with seed %d", retry, seed)
            .isBetween(Duration.ZERO, policy.delayBound(retry));
      }
    }
  }

  @Test
  void backoffSpreadsOverTheWholeRangeWithFullJitter() {
    RetryPolicy policy = RetryPolicy.defaults();
    SplittableRandom random = new SplittableRandom(42);
    Duration bound = policy.delayBound(3);
    long low = 0;
    long high = 0;
    for (int i = 0; i < 1000; i++) {
      Duration delay = policy.backoff(3, random);
      if (delay.compareTo(bound.dividedBy(10)) < 0) {
        low++;
      } else if (delay.compareTo(bound.multipliedBy(9).dividedBy(10)) > 0) {
        high++;
      }
    }
    assertThat(low).as("delays in the lowest tenth of [0, %s] (full jitter reaches zero)", bound).isGreaterThan(50);
    assertThat(high).as("delays in the highest tenth of [0, %s]", bound).isGreaterThan(50);
  }
}
