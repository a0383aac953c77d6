package io.grey.core.store;

import io.grey.core.InvalidRequestException;

/**
 * A byte range to read.
 *
 * @param offset the first byte, from 0
 * @param length how many bytes at most, or {@link #TO_END}
 */
public record ReadRange(long offset, long length) {
  public static final long TO_END = -1;

  public ReadRange {
    if (offset < 0) {
      throw new InvalidRequestException("range offset must be >= 0, got " + offset);
    }
    if (length < TO_END) {
      throw new InvalidRequestException("range length must be >= 0 or to-end (-1), got " + length);
    }
  }

  /** The whole object; only a whole-object read verifies the SHA-256 digest. */
  public static ReadRange all() {
    return new ReadRange(0, TO_END);
  }

  /** From {@code offset} to the end. */
  public static ReadRange from(long offset) {
    return new ReadRange(offset, TO_END);
  }

  /** {@code length} bytes from {@code offset}. */
  public static ReadRange of(long offset, long length) {
    return new ReadRange(offset, length);
  }

  /** Whether this range covers the whole object. */
  public boolean isAll() {
    return offset == 0 && length == TO_END;
  }

  /** How many bytes this range yields from an object of {@code size} bytes (the offset must be <= size). */
  public long lengthWithin(long size) {
    long rest = size - offset;
    return length == TO_END ? rest : Math.min(length, rest);
  }
}
