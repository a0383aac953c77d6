package io.grey.store.s3;

import io.grey.core.AccessDeniedException;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates the SDK's exceptions into Grey's errors. Messages name the store, the operation, the key, the HTTP
 * status, S3's error code and request id; never a credential (the SDK's messages carry none either).
 */
final class S3Errors {
  private static final Set<String> DENIED = Set.of(
      "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled", "InvalidToken",
      "ExpiredToken", "TokenRefreshRequired", "RequestTimeTooSkewed");
  private static final Set<String> THROTTLED = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
      "TooManyRequestsException");

  private S3Errors() {}

  /** The Grey error for {@code error} raised by {@code operation} (for example {@code "put artifacts/x"}). */
  static GreyException map(String store, String operation, SdkException error) {
    if (!(error instanceof AwsServiceException service)) {
      // Connection refused, timeouts, broken streams: the request may not even have reached S3.
      return new StoreUnavailableException(prefix(store, operation) + "S3 unreachable: " + rootMessage(error), error);
    }
    int status = service.statusCode();
    String code = service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
        ? "" : service.awsErrorDetails().errorCode();
    String message = prefix(store, operation) + "HTTP " + status + (code.isEmpty() ? "" : " " + code)
        + (service.requestId() == null ? "" : " (request id " + service.requestId() + ")");
    if (status == 412 || "PreconditionFailed".equals(code) || "ConditionalRequestConflict".equals(code)) {
      return new PreconditionFailedException(message + ": the write condition does not hold", error);
    }
    if (status == 404 || "NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
      return new NotFoundException(message + ("NoSuchBucket".equals(code) ? ": the bucket does not exist" : ""),
          error);
    }
    if (status == 416 || "InvalidRange".equals(code)) {
      return new RangeNotSatisfiableException(message, error);
    }
    if (status == 403 || DENIED.contains(code)) {
      return new AccessDeniedException(message + ": S3 refused the credentials or the permission", error);
    }
    if (status == 429 || THROTTLED.contains(code)) {
      return new ThrottledException(message, error);
    }
    if (status == 501 || "NotImplemented".equals(code)) {
      // Not transient: a server that does not implement an operation never will on a retry.
      return new InvalidRequestException(message + ": the server does not implement this operation", error);
    }
    if (status >= 500 || status == 0) {
      return new StoreUnavailableException(message, error);
    }
    return new InvalidRequestException(message, error);
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
