package io.grey.core;

/** A tenant, task id, artifact name or object key broke a naming rule; the message names the rule. */
public final class InvalidKeyException extends GreyException {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message, null);
  }

  public InvalidKeyException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "invalid_key";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
