package io.grey.core;

/** Configuration is invalid; the message names the file, line and key. */
public final class ConfigException extends GreyException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "config_error";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
