package io.grey.core.config;

import io.grey.core.ConfigException;
import io.grey.core.InvalidKeyException;
import io.grey.core.Tenant;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * The value rules of Grey's config, shared by the records (for configs built in code) and the loader (which
 * prefixes the file, line and column). Each rule throws a {@link ConfigException} that starts with the key path.
 */
final class Check {
  /** Shortest accepted bearer token: 16 characters leave no room for guessing. */
  static final int MIN_TOKEN_LENGTH = 16;

  private Check() {}

  /** A rule on one value; {@code path} is the full key path used in the message. */
  @FunctionalInterface
  interface Rule<T> {
    void check(String path, T value);
  }

  static ConfigException fail(String path, String message) {
    return new ConfigException(path + ": " + message);
  }

  static <T> T present(String path, T value) {
    if (value == null) {
      throw fail(path, "must be set");
    }
    return value;
  }

  static void port(String path, Integer port) {
    if (port < 0 || port > 65535) {
      throw fail(path, "must be 0-65535 (0 picks a free port), got " + port);
    }
  }

  static void positive(String path, Integer value) {
    if (value <= 0) {
      throw fail(path, "must be a positive number of days, got " + value);
    }
  }

  static void positive(String path, Duration value) {
    present(path, value);
    if (value.isZero() || value.isNegative()) {
      throw fail(path, "must be a positive duration, got " + value);
    }
  }

  static void nonEmpty(String path, String value) {
    present(path, value);
    if (value.isBlank()) {
      throw fail(path, "must not be empty");
    }
  }

  static void host(String path, String value) {
    nonEmpty(path, value);
    if (value.chars().anyMatch(c -> c <= ' ' || c == '/' || c == 0x7f)) {
      throw fail(path, "'" + value + "' is not a host name or address");
    }
  }

  static void token(String path, String value) {
    nonEmpty(path, value);
    if (value.length() < MIN_TOKEN_LENGTH) {
      throw fail(path, "must be at least " + MIN_TOKEN_LENGTH + " characters, got " + value.length());
    }
    if (value.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw fail(path, "must be printable ASCII without spaces (it travels in an HTTP header)");
    }
  }

  static void tenant(String path, String value) {
    present(path, value);
    try {
      new Tenant(value);
    } catch (InvalidKeyException e) {
      throw fail(path, e.getMessage());
    }
  }

  static void publicUrl(String path, String value) {
    present(path, value);
    if (value.isEmpty()) {
      return;
    }
    URI uri = uri(path, value);
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw fail(path, "must be \"\" or an absolute http(s) URL like https://grey.example.com, got '" + value + "'");
    }
  }

  static void endpoint(String path, String value) {
    present(path, value);
    if (value.isEmpty()) {
      return;
    }
    URI uri = uri(path, value);
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw fail(path, "must be \"\" or an absolute URL like http://collector:4317, got '" + value + "'");
    }
  }

  static void httpPath(String path, String value) {
    nonEmpty(path, value);
    if (!value.startsWith("/") || value.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
      throw fail(path, "must be a URL path starting with '/', like /metrics, got '" + value + "'");
    }
  }

  static void fraction(String path, Double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw fail(path, "must be between 0 and 1, got " + value);
    }
  }

  static void prefix(String path, String value) {
    nonEmpty(path, value);
    if (value.chars().anyMatch(c -> c < ' ' || c == 0x7f || c == '\\')) {
      throw fail(path, "must not contain control characters or backslashes");
    }
  }

  static void storageClass(String path, String value) {
    nonEmpty(path, value);
    if (!value.matches("[A-Za-z0-9_-]{1,64}")) {
      throw fail(path, "'" + value + "' must be 1-64 letters, digits, '_' or '-', like INFREQUENT_ACCESS");
    }
  }

  static void environment(String path, String value) {
    nonEmpty(path, value);
    // It becomes the value of the grey-environment cost tag, so it must fit every cloud's tag rules.
    if (!value.matches("[A-Za-z0-9 +\\-=._:/]{1,256}")) {
      throw fail(path, "'" + value + "' must be 1-256 letters, digits, space or + - = . _ : /"
          + " (it is the grey-environment cost tag)");
    }
  }

  private static URI uri(String path, String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw fail(path, "'" + value + "' is not a URL: " + e.getReason());
    }
  }
}
