package io.grey.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** The naming rules shared by every key type; each check throws {@link InvalidKeyException} naming the rule. */
final class KeyRules {
  static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  static final int MAX_SEGMENT_BYTES = 255;

  private KeyRules() {}

  static String identifier(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidKeyException(what + " must not be empty");
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new InvalidKeyException(
          what + " '" + printable(value) + "' must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}"
              + " (start with a letter or digit; then letters, digits, '.', '_' or '-'; at most 63 characters)");
    }
    return value;
  }

  /**
   * Checks a '/'-separated path: no empty, '.' or '..' segment, no control character, no backslash, no
   * percent-encoded '.', '/' or '\', valid UTF-16 (no lone surrogate), at most {@code maxBytes} UTF-8 bytes.
   */
  static String path(String what, String value, int maxBytes) {
    if (value == null || value.isEmpty()) {
      throw new InvalidKeyException(what + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw new InvalidKeyException(
            what + " must not contain control characters (found U+%04X at index %d)".formatted((int) c, i));
      }
      if (c == '\\') {
        throw new InvalidKeyException(what + " must not contain a backslash (index " + i + ")");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw new InvalidKeyException(what + " is not valid Unicode (lone surrogate at index " + i + ")");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new InvalidKeyException(what + " is not valid Unicode (lone surrogate at index " + i + ")");
      }
    }
    String lower = value.toLowerCase(Locale.ROOT);
    for (String encoded : new String[] {"%2e", "%2f", "%5c"}) {
      if (lower.contains(encoded)) {
        throw new InvalidKeyException(
            what + " must not contain percent-encoded '.', '/' or '\\' (found '" + encoded + "')");
      }
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      throw new InvalidKeyException(what + " is " + bytes + " bytes of UTF-8; at most " + maxBytes + " allowed");
    }
    String[] segments = value.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw new InvalidKeyException(
            what + " '" + printable(value) + "' has an empty segment (leading, trailing or doubled '/')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidKeyException(what + " '" + printable(value) + "' has a '" + segment + "' segment");
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        throw new InvalidKeyException(what + " has a segment longer than " + MAX_SEGMENT_BYTES + " bytes");
      }
    }
    return value;
  }

  /** Shortens and escapes a rejected value so that an error message is safe to print and log. */
  static String printable(String value) {
    StringBuilder sb = new StringBuilder();
    value.codePoints().limit(80).forEach(cp -> {
      if (cp < 0x20 || cp == 0x7f) {
        sb.append("\\u%04x".formatted(cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    if (value.codePointCount(0, value.length()) > 80) {
      sb.append("...");
    }
    return sb.toString();
  }
}
