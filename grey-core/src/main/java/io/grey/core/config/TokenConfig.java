package io.grey.core.config;

/**
 * One entry of {@code auth.tokens}: a bearer token and the tenant it acts for.
 *
 * @param token the secret ({@code token}); at least 16 printable ASCII characters without spaces
 * @param tenant the tenant ({@code tenant}); follows the {@link io.grey.core.Tenant} rule
 * @throws io.grey.core.ConfigException naming the rule that is broken
 */
public record TokenConfig(String token, String tenant) {
  public TokenConfig {
    Check.token("auth.tokens.token", token);
    Check.tenant("auth.tokens.tenant", tenant);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "TokenConfig[token=***, tenant=" + tenant + "]";
  }

  static TokenConfig read(ConfigSection s) {
    String token = s.requiredString("token", Check::token);
    String tenant = s.requiredString("tenant", Check::tenant);
    return s.build(() -> new TokenConfig(token, tenant));
  }
}
