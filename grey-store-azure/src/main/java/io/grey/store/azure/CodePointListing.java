package io.grey.store.azure;

import io.grey.core.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Selects the first keys of a listing in code point order from a server listing that is sorted either by code
 * point (Azure: UTF-8 byte order) or by UTF-16 code unit (Azurite compares JavaScript strings). The two orders
 * differ only where a supplementary character (a surrogate pair) meets a character in U+E000-U+FFFF, so:
 * <ul>
 *   <li>the server listing starts at {@link #serverStart}: {@code startAfter} cut before its first code unit at
 *       or above U+D800, which every wanted key sorts after in both orders (for ASCII keys it is
 *       {@code startAfter} itself, so the listing begins exactly there);</li>
 *   <li>{@link #select} keeps the smallest keys seen and stops at the first server key that has no surrogate and
 *       is not smaller than all kept ones: in both orders every later key sorts after such a key.</li>
 * </ul>
 */
final class CodePointListing {
  private static final Comparator<String> ORDER = ObjectKey.LEXICOGRAPHIC;

  private CodePointListing() {}

  /**
   * Where the server listing of keys under {@code prefix} after {@code startAfter} begins ("" for the start of
   * the prefix), or empty when no key under {@code prefix} can sort after {@code startAfter}.
   */
  static Optional<String> serverStart(String prefix, String startAfter) {
    if (startAfter.isEmpty()) {
      return Optional.of("");
    }
    if (!startAfter.startsWith(prefix)) {
      return ORDER.compare(startAfter, prefix) < 0 ? Optional.of("") : Optional.empty();
    }
    int cut = startAfter.length();
    for (int i = 0; i < startAfter.length(); i++) {
      if (startAfter.charAt(i) >= '\uD800') {
        cut = i;
        break;
      }
    }
    return Optional.of(cut <= prefix.length() ? "" : startAfter.substring(0, cut));
  }

  /**
   * The at most {@code count} smallest items, in code point order of {@code name}, whose names start with
   * {@code prefix} and sort strictly after {@code startAfter}, reading {@code serverItems} only as far as needed.
   */
  static <T> List<T> select(
      Iterator<T> serverItems, Function<T, String> name, String prefix, String startAfter, int count) {
    TreeMap<String, T> kept = new TreeMap<>(ORDER);
    while (serverItems.hasNext()) {
      T item = serverItems.next();
      String key = name.apply(item);
      if (key.startsWith(prefix) && (startAfter.isEmpty() || ORDER.compare(key, startAfter) > 0)) {
        kept.put(key, item);
        if (kept.size() > count) {
          kept.pollLastEntry();
        }
      }
      if (kept.size() == count && !hasSurrogate(key) && ORDER.compare(kept.lastKey(), key) <= 0) {
        break;
      }
    }
    return new ArrayList<>(kept.values());
  }

  private static boolean hasSurrogate(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (Character.isSurrogate(key.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
