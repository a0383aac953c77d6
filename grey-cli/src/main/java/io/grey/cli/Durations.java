package io.grey.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations the command line takes: {@code 3600s}, {@code 15m}, {@code 2h}, {@code 7d}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,12})([smhd]?)");

  private Durations() {}

  /** The duration {@code text} names (a bare number is seconds), or empty if it is not one. */
  static Optional<Duration> parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> Duration.ofSeconds(amount);
    });
  }
}
