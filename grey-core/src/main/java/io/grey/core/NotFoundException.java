package io.grey.core;

/** The object, tenant or resource named does not exist. */
public final class NotFoundException extends GreyException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message, null);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "not_found";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
