package io.grey.server;

import io.grey.core.AccessDeniedException;
import io.grey.core.ConfigException;
import io.grey.core.GreyException;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidKeyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.ProviderNotAvailableException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import io.grey.core.UnauthenticatedException;
import java.util.Objects;

/**
 * The answer the HTTP edge gives for a failure: a status and the {@code {"code", "message"}} body. Client errors
 * carry the Grey error's own message, which names the problem in the caller's input; server errors carry a fixed
 * message, so that nothing about the host (paths, stack traces) leaks into a response.
 *
 * @param status the HTTP status
 * @param code the stable error code
 * @param message what went wrong, safe to show to the caller
 */
record ApiError(int status, String code, String message) {
  static final String INTERNAL = "internal";

  ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** The answer for {@code error}; total over the sealed hierarchy, so a new error kind must be mapped here. */
  static ApiError of(GreyException error) {
    return switch (error) {
      case NotFoundException e -> client(404, e);
      case PreconditionFailedException e -> client(412, e);
      case InvalidKeyException e -> client(400, e);
      case InvalidRequestException e -> client(400, e);
      case RangeNotSatisfiableException e -> client(416, e);
      case UnauthenticatedException e -> client(401, e);
      case AccessDeniedException e -> client(403, e);
      case ThrottledException e -> new ApiError(429, e.code(), "too many requests; retry later");
      case StoreUnavailableException e -> new ApiError(503, e.code(), "the store is unavailable; retry later");
      case IntegrityException e ->
          new ApiError(500, e.code(), "stored bytes do not match their recorded size or SHA-256");
      // At request time this is the server's own setup failing, most often an object whose encryption key is not
      // in the configured keyring; the details (key id, paths) go to the server log only.
      case ConfigException e -> new ApiError(500, e.code(), "the server's configuration cannot serve this request"
          + " (for an encrypted store: the key the object was written under is not in the keyring); see the server"
          + " log");
      case ProviderNotAvailableException e -> internal();
    };
  }

  /** The answer for any failure that is not a Grey error. */
  static ApiError internal() {
    return new ApiError(500, INTERNAL, "internal server error");
  }

  /** Whether the server, not the caller, is at fault; such failures are logged with their stack trace. */
  boolean serverSide() {
    return status >= 500;
  }

  private static ApiError client(int status, GreyException e) {
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.code() : e.getMessage();
    return new ApiError(status, e.code(), message);
  }
}
