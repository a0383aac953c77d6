package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.AccessDeniedException;
import io.grey.core.ConfigException;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidKeyException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.UnauthenticatedException;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
  @Test
  void eachErrorKindHasItsCode() {
    assertThat(ExitCodes.of(new NotFoundException("x"))).isEqualTo(3);
    assertThat(ExitCodes.of(new PreconditionFailedException("x"))).isEqualTo(4);
    assertThat(ExitCodes.of(new UnauthenticatedException("x"))).isEqualTo(5);
    assertThat(ExitCodes.of(new AccessDeniedException("x"))).isEqualTo(5);
    assertThat(ExitCodes.of(new StoreUnavailableException("x"))).isEqualTo(6);
    assertThat(ExitCodes.of(new IntegrityException("x"))).isEqualTo(7);
    assertThat(ExitCodes.of(new InvalidKeyException("x"))).isEqualTo(8);
    assertThat(ExitCodes.of(new ConfigException("x"))).isEqualTo(2);
  }

  @Test
  void serverCodesBecomeTheirErrorKinds() {
    assertThat(ExitCodes.fromServer(404, "not_found", "artifacts/a/b/c")).isInstanceOf(NotFoundException.class)
        .hasMessage("artifacts/a/b/c");
    assertThat(ExitCodes.fromServer(412, "precondition_failed", "m")).isInstanceOf(PreconditionFailedException.class);
    assertThat(ExitCodes.fromServer(403, "access_denied", "m")).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void unknownCodesFallBackToTheStatus() {
    assertThat(ExitCodes.fromServer(401, "", "")).isInstanceOf(UnauthenticatedException.class);
    assertThat(ExitCodes.fromServer(503, "weird", "busy")).isInstanceOf(StoreUnavailableException.class);
    assertThat(ExitCodes.fromServer(409, "", "")).isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void describeIsOneLineWithTheKind() {
    assertThat(ExitCodes.describe(new NotFoundException("artifacts/acme/t1/x")))
        .isEqualTo("not found: artifacts/acme/t1/x");
  }
}
