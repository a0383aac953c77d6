package io.grey.core;

/** The caller is known but may not touch this resource (wrong tenant, tampered or expired URL). */
public final class AccessDeniedException extends GreyException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message, null);
  }

  public AccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "access_denied";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
