package io.grey.store.gcs;

import com.google.cloud.BaseServiceException;
import io.grey.core.AccessDeniedException;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import java.io.IOException;

/**
 * Translates the Google client's exceptions into Grey's errors, by HTTP status first and Google's error reason
 * second. Messages name the store, the operation, the object, the status and the reason; never a credential
 * (the client's messages carry none either).
 */
final class GcsErrors {
  private GcsErrors() {}

  /** The Grey error for {@code error} raised by {@code operation} (for example {@code "put artifacts/x"}). */
  static GreyException map(String store, String operation, Throwable error) {
    if (error instanceof GreyException grey) {
      return grey;
    }
    BaseServiceException service = serviceCause(error);
    if (service == null) {
      return new StoreUnavailableException(prefix(store, operation) + "Cloud Storage unreachable: "
          + rootMessage(error), error);
    }
    int status = service.getCode();
    String reason = service.getReason() == null ? "" : service.getReason();
    String message = prefix(store, operation) + "HTTP " + status + (reason.isEmpty() ? "" : " " + reason)
        + (service.getMessage() == null ? "" : ": " + service.getMessage());
    return switch (status) {
      case 304, 412 -> new PreconditionFailedException(message, error);
      case 404 -> new NotFoundException(message, error);
      case 416 -> new RangeNotSatisfiableException(message, error);
      case 401, 403 -> new AccessDeniedException(message, error);
      case 429 -> new ThrottledException(message, error);
      // A connection failure before any answer has code 0; 408 and 5xx are transient on Google's side.
      case 0, 408 -> new StoreUnavailableException(message, error);
      default -> {
        if (status >= 500) {
          yield new StoreUnavailableException(message, error);
        }
        if ("rateLimitExceeded".equals(reason) || "userRateLimitExceeded".equals(reason)) {
          yield new ThrottledException(message, error);
        }
        yield new InvalidRequestException(message, error);
      }
    };
  }

  /** The HTTP status of the Google error behind {@code error}, or -1 when there is none. */
  static int status(Throwable error) {
    BaseServiceException service = serviceCause(error);
    return service == null ? -1 : service.getCode();
  }

  private static BaseServiceException serviceCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BaseServiceException service) {
        return service;
      }
      if (!(t instanceof IOException) && !(t instanceof RuntimeException)) {
        return null;
      }
    }
    return null;
  }

  private static String prefix(String store, String operation) {
    return "store '" + store + "': " + operation + ": ";
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == error ? text : error.getClass().getSimpleName() + ", caused by " + text;
  }
}
