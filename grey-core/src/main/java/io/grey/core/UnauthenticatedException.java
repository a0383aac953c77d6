package io.grey.core;

/** The caller presented no credentials, or credentials Grey does not recognise. */
public final class UnauthenticatedException extends GreyException {
  private static final long serialVersionUID = 1L;

  public UnauthenticatedException(String message) {
    super(message, null);
  }

  public UnauthenticatedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "unauthenticated";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
