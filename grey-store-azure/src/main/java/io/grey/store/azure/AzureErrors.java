package io.grey.store.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.grey.core.AccessDeniedException;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Translates what the Azure SDK throws into Grey's errors, in one place. Messages name the operation, the blob,
 * the HTTP status and Azure's error code; they never carry request headers, so the shared key cannot leak.
 */
final class AzureErrors {
  private AzureErrors() {}

  /** The Grey error for a failure of {@code operation} on {@code what} (a container/blob or container). */
  static GreyException map(String operation, String what, Throwable error) {
    if (error instanceof GreyException grey) {
      return grey;
    }
    BlobStorageException storage = find(error, BlobStorageException.class);
    if (storage != null) {
      return fromStatus(operation, what, storage.getStatusCode(), storage.getErrorCode(), storage);
    }
    ClientAuthenticationException auth = find(error, ClientAuthenticationException.class);
    if (auth != null && (auth.getResponse() == null || auth.getResponse().getStatusCode() != 403)) {
      // The chain's own text can name tenants, client ids and token endpoints: only its type is shown.
      return new AccessDeniedException("azure: " + operation + " " + what + " failed: no Azure AD token could be"
          + " obtained (" + auth.getClass().getSimpleName() + "); check the managed identity, workload identity or"
          + " AZURE_* environment of this host, or give azure.blob_storage.account_key");
    }
    HttpResponseException http = find(error, HttpResponseException.class);
    if (http != null && http.getResponse() != null) {
      return fromStatus(operation, what, http.getResponse().getStatusCode(), null, http);
    }
    if (find(error, IOException.class) != null || find(error, UncheckedIOException.class) != null
        || find(error, TimeoutException.class) != null) {
      return new StoreUnavailableException(
          "azure: " + operation + " " + what + " failed: " + describe(rootCause(error)), error);
    }
    return new StoreUnavailableException(
        "azure: " + operation + " " + what + " failed unexpectedly: " + describe(rootCause(error)), error);
  }

  /** Whether {@code error} is Azure saying the blob (or container) does not exist. */
  static boolean isNotFound(Throwable error) {
    BlobStorageException storage = find(error, BlobStorageException.class);
    return storage != null && storage.getStatusCode() == 404;
  }

  /** Whether an ETag condition of the request did not hold. */
  static boolean isConditionNotMet(Throwable error) {
    BlobStorageException storage = find(error, BlobStorageException.class);
    return storage != null && storage.getStatusCode() == 412;
  }

  /** Whether Azure refused a range because it starts at or past the end of the blob (HTTP 416). */
  static boolean isInvalidRange(Throwable error) {
    BlobStorageException storage = find(error, BlobStorageException.class);
    return storage != null && (storage.getStatusCode() == 416 || BlobErrorCode.INVALID_RANGE.equals(storage.getErrorCode()));
  }

  /** Whether the commit was refused because its blocks are no longer staged (a concurrent commit took them). */
  static boolean isInvalidBlockList(Throwable error) {
    BlobStorageException storage = find(error, BlobStorageException.class);
    return storage != null && BlobErrorCode.INVALID_BLOCK_LIST.equals(storage.getErrorCode());
  }

  private static GreyException fromStatus(
      String operation, String what, int status, BlobErrorCode code, Throwable cause) {
    String message = "azure: " + operation + " " + what + " failed with HTTP " + status
        + (code == null ? "" : " " + code);
    if (status == 404) {
      return new NotFoundException(message, cause);
    }
    if (status == 412 || BlobErrorCode.CONDITION_NOT_MET.equals(code)
        || BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code)) {
      // Azure answers If-None-Match: * on an existing blob with 409 BlobAlreadyExists rather than 412.
      return new PreconditionFailedException(message, cause);
    }
    if (status == 416 || BlobErrorCode.INVALID_RANGE.equals(code)) {
      return new RangeNotSatisfiableException(message, cause);
    }
    if (status == 401 || status == 403) {
      return new AccessDeniedException(message, cause);
    }
    if (status == 429 || status == 503) {
      return new ThrottledException(message, cause);
    }
    if (status >= 500) {
      return new StoreUnavailableException(message, cause);
    }
    return new InvalidRequestException(message, cause);
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
