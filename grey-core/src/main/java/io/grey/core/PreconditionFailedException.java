package io.grey.core;

/** A write condition (if-absent or if-version) did not hold; nothing was written. */
public final class PreconditionFailedException extends GreyException {
  private static final long serialVersionUID = 1L;

  public PreconditionFailedException(String message) {
    super(message, null);
  }

  public PreconditionFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "precondition_failed";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
