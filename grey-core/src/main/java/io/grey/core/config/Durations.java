package io.grey.core.config;

import io.grey.core.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of Grey's config: a whole number with one unit, {@code ms}, {@code s}, {@code m},
 * {@code h} or {@code d} ({@code 100ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}), or an ISO-8601
 * duration such as {@code PT30S}. Negative values and anything else are refused. Stateless and thread-safe.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * The duration {@code text} denotes; zero is allowed, negatives are not.
   *
   * @throws ConfigException naming the accepted forms if {@code text} is not a duration
   */
  public static Duration parse(String text) {
    String t = text.strip();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      try {
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (ArithmeticException e) {
        throw new ConfigException("duration '" + text + "' is too large", e);
      }
    }
    if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative()) {
          throw new ConfigException("duration '" + text + "' is negative");
        }
        return d;
      } catch (DateTimeParseException e) {
        // Not ISO-8601 either: the message below names both accepted forms.
      }
    }
    if (t.startsWith("-")) {
      throw new ConfigException("duration '" + text + "' is negative");
    }
    throw new ConfigException("'" + text + "' is not a duration (expected a whole number with a unit"
        + " ms, s, m, h or d, like 100ms, 30s, 5m, 1h, 7d, or ISO-8601 like PT30S)");
  }
}
