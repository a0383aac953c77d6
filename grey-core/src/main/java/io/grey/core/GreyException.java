package io.grey.core;

/**
 * The one error hierarchy of Grey. Every failure a caller can act on is one of these subtypes, each with a
 * stable {@link #code()} (used in HTTP error bodies and CLI output) and a {@link #retryable()} flag that the
 * retry layer honours.
 */
public abstract sealed class GreyException extends RuntimeException
    permits NotFoundException, PreconditionFailedException, InvalidKeyException, InvalidRequestException,
        RangeNotSatisfiableException, AccessDeniedException, UnauthenticatedException, StoreUnavailableException,
        ThrottledException, IntegrityException, ConfigException, ProviderNotAvailableException {

  private static final long serialVersionUID = 1L;

  protected GreyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A stable, lower-case identifier of the kind of error, for example {@code not_found}. */
  public abstract String code();

  /** Whether repeating the same call may succeed; only retryable errors are retried by the retry layer. */
  public abstract boolean retryable();
}
