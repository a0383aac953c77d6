package io.grey.core;

/** A ranged read started beyond the end of the object. */
public final class RangeNotSatisfiableException extends GreyException {
  private static final long serialVersionUID = 1L;

  public RangeNotSatisfiableException(String message) {
    super(message, null);
  }

  public RangeNotSatisfiableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "range_not_satisfiable";
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
