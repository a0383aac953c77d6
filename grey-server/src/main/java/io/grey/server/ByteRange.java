package io.grey.server;

import io.grey.core.InvalidRequestException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.store.ReadRange;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header: {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} (the
 * last n bytes). Several ranges in one header are not supported.
 *
 * @param first the first byte, or -1 for a suffix range
 * @param last the last byte (inclusive), or -1 for "to the end"
 * @param suffix for a suffix range, how many bytes from the end; otherwise -1
 */
record ByteRange(long first, long last, long suffix) {
  private static final Pattern FORM = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  /**
   * Parses the header value.
   *
   * @throws InvalidRequestException if it is not one of the supported forms
   */
  static ByteRange parse(String header) {
    Matcher m = FORM.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      throw new InvalidRequestException(
          "Range must be one range of the form bytes=first-last, bytes=first- or bytes=-suffix");
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0) {
          throw new InvalidRequestException("Range suffix length must be positive");
        }
        return new ByteRange(-1, -1, suffix);
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2));
      if (last >= 0 && last < first) {
        throw new InvalidRequestException("Range last byte " + last + " is before the first byte " + first);
      }
      return new ByteRange(first, last, -1);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("Range positions must fit in 63 bits", e);
    }
  }

  /** Whether the range is given from the end of the object, so that its size must be known first. */
  boolean fromEnd() {
    return first < 0;
  }

  /**
   * The read this range asks for of an object of {@code size} bytes.
   *
   * @throws RangeNotSatisfiableException if the range starts at or beyond the end
   */
  ReadRange resolve(long size) {
    if (fromEnd()) {
      if (size == 0) {
        throw new RangeNotSatisfiableException("Range asks for the end of an empty object");
      }
      long length = Math.min(suffix, size);
      return ReadRange.of(size - length, length);
    }
    if (first >= size) {
      throw new RangeNotSatisfiableException(
          "Range starts at byte " + first + " but the object has " + size + " bytes");
    }
    return last < 0 ? ReadRange.from(first) : ReadRange.of(first, Math.min(last, size - 1) - first + 1);
  }

  /** The read to ask the store for before the size is known (ranges given from the start only). */
  ReadRange request() {
    return last < 0 ? ReadRange.from(first) : ReadRange.of(first, last - first + 1);
  }
}
