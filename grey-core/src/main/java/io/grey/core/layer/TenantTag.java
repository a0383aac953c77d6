package io.grey.core.layer;

import io.grey.core.DataClass;
import io.grey.core.InvalidKeyException;
import io.grey.core.ObjectKey;
import io.grey.core.Tenant;
import java.util.Optional;

/** Finds the tenant a call is about, for the metric and span attributes of the observing layers. */
final class TenantTag {
  /** The tag value of calls that concern no single tenant. */
  static final String NONE = "none";

  private TenantTag() {}

  static String of(ObjectKey key) {
    return key.tenant().map(Tenant::value).orElse(NONE);
  }

  /**
   * The tenant of a listing prefix when it is a whole Grey tenant prefix ({@code artifacts/acme/...}); a prefix
   * that stops inside the tenant segment ({@code artifacts/ac}) spans several tenants and has none.
   */
  static Optional<Tenant> ofPrefix(String prefix) {
    String[] parts = prefix.split("/", 3);
    if (parts.length < 3 || DataClass.ofPrefix(parts[0]).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Tenant(parts[1]));
    } catch (InvalidKeyException e) {
      return Optional.empty();
    }
  }

  static String ofListPrefix(String prefix) {
    return ofPrefix(prefix).map(Tenant::value).orElse(NONE);
  }
}
