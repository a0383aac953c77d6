package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.Tenant;
import io.grey.core.UnauthenticatedException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bearer tokens map to their tenant; the actor names the token without revealing it. */
class TokenAuthenticatorTest {
  private final TokenAuthenticator auth =
      new TokenAuthenticator(Map.of("secret-one", new Tenant("acme"), "secret-two", new Tenant("globex")));

  @Test
  void knownTokenActsForItsTenant() {
    Principal principal = auth.authenticate("Bearer secret-two");
    assertThat(principal.tenant()).as("the token's tenant").isEqualTo(new Tenant("globex"));
    assertThat(principal.actor()).as("the actor names the tenant but not the token")
        .startsWith("tenant:globex/token:").doesNotContain("secret-two");
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertThat(auth.authenticate("bearer secret-one").tenant()).as("lower-case scheme")
        .isEqualTo(new Tenant("acme"));
  }

  @Test
  void prefixOfATokenIsRefused() {
    assertThatThrownBy(() -> auth.authenticate("Bearer secret-on")).as("a token prefix")
        .isInstanceOf(UnauthenticatedException.class);
  }

  @Test
  void otherSchemesAreRefused() {
    assertThatThrownBy(() -> auth.authenticate("Basic c2VjcmV0LW9uZQ==")).as("basic auth")
        .isInstanceOf(UnauthenticatedException.class);
  }
}
