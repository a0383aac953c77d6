package io.grey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void eachUnitIsUnderstood() {
    assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void isoDurationsAreUnderstood() {
    assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("P1DT2H")).isEqualTo(Duration.ofHours(26));
  }

  @Test
  void negativeDurationsAreRefused() {
    assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(ConfigException.class)
        .hasMessage("duration '-1s' is negative");
    assertThatThrownBy(() -> Durations.parse("PT-1S")).isInstanceOf(ConfigException.class)
        .hasMessage("duration 'PT-1S' is negative");
  }

  @Test
  void aDurationBeyondTheRangeOfJavaTimeIsRefused() {
    assertThatThrownBy(() -> Durations.parse("999999999999999d")).isInstanceOf(ConfigException.class)
        .hasMessage("duration '999999999999999d' is too large");
  }

  @Test
  void garbageIsRefusedWithTheAcceptedForms() {
    for (String bad : new String[] {"", "30", "1.5s", "5 minutes", "1w", "s", "P", "PTXS"}) {
      assertThatThrownBy(() -> Durations.parse(bad)).as("'%s' refused", bad).isInstanceOf(ConfigException.class)
          .hasMessageContaining("is not a duration");
    }
  }
}
