package io.grey.core;

/**
 * A tenant: the unit of isolation and cost attribution. Matches {@code [A-Za-z0-9][A-Za-z0-9._-]{0,62}}.
 *
 * @param value the tenant id
 * @throws InvalidKeyException if the id breaks the rule
 */
public record Tenant(String value) {
  public Tenant {
    KeyRules.identifier("tenant", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
