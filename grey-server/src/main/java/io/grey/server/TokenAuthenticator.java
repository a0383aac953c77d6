package io.grey.server;

import io.grey.core.AccessDeniedException;
import io.grey.core.InvalidRequestException;
import io.grey.core.Tenant;
import io.grey.core.UnauthenticatedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code Authorization: Bearer <token>} headers to principals. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured token, so the time taken reveals neither a token's
 * prefix nor its length nor which entry matched. Immutable and thread-safe.
 */
final class TokenAuthenticator {
  private static final String SCHEME = "bearer ";

  private record Entry(byte[] digest, Principal principal) {}

  private final List<Entry> entries;

  /** An authenticator accepting each key of {@code tokens} for the tenant it maps to. */
  TokenAuthenticator(Map<String, Tenant> tokens) {
    if (tokens.isEmpty()) {
      throw new InvalidRequestException("at least one token is needed");
    }
    this.entries = tokens.entrySet().stream()
        .map(e -> {
          byte[] digest = sha256(e.getKey());
          String fingerprint = HexFormat.of().formatHex(digest, 0, 4);
          return new Entry(digest, new Principal(e.getValue(), "tenant:" + e.getValue().value() + "/token:" + fingerprint));
        })
        .toList();
  }

  /**
   * The principal of {@code authorization} (the header's value, "" when absent).
   *
   * @throws UnauthenticatedException if there is no bearer token or it is not one of the configured tokens
   */
  Principal authenticate(String authorization) {
    if (authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new UnauthenticatedException("a bearer token is required (Authorization: Bearer <token>)");
    }
    byte[] presented = sha256(authorization.substring(SCHEME.length()).trim());
    Principal match = null;
    for (Entry entry : entries) {
      // No early exit: every entry is compared, so the position of a match cannot be timed.
      if (MessageDigest.isEqual(entry.digest(), presented)) {
        match = entry.principal();
      }
    }
    if (match == null) {
      throw new UnauthenticatedException("the bearer token is not valid");
    }
    return match;
  }

  /**
   * Checks that {@code principal} may act on {@code tenant}'s data.
   *
   * @throws AccessDeniedException if it may not
   */
  static void authorize(Principal principal, Tenant tenant) {
    if (!principal.tenant().equals(tenant)) {
      throw new AccessDeniedException("the token does not grant access to tenant '" + tenant.value() + "'");
    }
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
