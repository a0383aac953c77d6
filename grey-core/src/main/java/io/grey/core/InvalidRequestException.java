package io.grey.core;

/** A request was malformed or asked for something the store cannot do; nothing was changed. */
public final class InvalidRequestException extends GreyException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message, null);
  }

  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "invalid_request";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
