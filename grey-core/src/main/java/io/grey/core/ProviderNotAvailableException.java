package io.grey.core;

/** A store type was configured whose module is not on the class path. */
public final class ProviderNotAvailableException extends GreyException {
  private static final long serialVersionUID = 1L;

  public ProviderNotAvailableException(String message) {
    super(message, null);
  }

  public ProviderNotAvailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "provider_not_available";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
