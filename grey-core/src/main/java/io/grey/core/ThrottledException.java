package io.grey.core;

/** A store asked Grey to slow down (HTTP 429/503 SlowDown); retryable. */
public final class ThrottledException extends GreyException {
  private static final long serialVersionUID = 1L;

  public ThrottledException(String message) {
    super(message, null);
  }

  public ThrottledException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "throttled";
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
