package io.grey.core;

/** Bytes read back do not match the recorded size or SHA-256 digest, or a signature does not verify. */
public final class IntegrityException extends GreyException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message, null);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "integrity_mismatch";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
