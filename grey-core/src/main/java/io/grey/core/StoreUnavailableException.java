package io.grey.core;

/** A store could not be reached or failed transiently (I/O error, timeout, 5xx); retryable. */
public final class StoreUnavailableException extends GreyException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message, null);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "store_unavailable";
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
