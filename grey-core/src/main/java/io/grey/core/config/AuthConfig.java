package io.grey.core.config;

import io.grey.core.ConfigException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code auth:} section: the bearer tokens the server accepts, each for one tenant. No tokens (the default)
 * means the server creates its own credentials file on first start. Immutable.
 *
 * @param tokens the accepted tokens ({@code tokens}); each token value appears once
 * @throws ConfigException if a token appears twice
 */
public record AuthConfig(List<TokenConfig> tokens) {
  public AuthConfig {
    tokens = List.copyOf(tokens);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (!seen.add(tokens.get(i).token())) {
        throw new ConfigException("auth.tokens[" + i + "].token: the same token is listed twice"
            + " (each token must be unique)");
      }
    }
  }

  /** No tokens configured. */
  public static AuthConfig none() {
    return new AuthConfig(List.of());
  }

  static AuthConfig read(ConfigSection s) {
    List<TokenConfig> tokens = s.list("tokens", TokenConfig::read, List.of());
    return s.build(() -> new AuthConfig(tokens));
  }
}
