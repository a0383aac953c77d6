package io.grey.core.config;

import io.grey.core.ConfigException;
import io.grey.core.GreyException;
import io.grey.core.config.YamlTree.Entry;
import io.grey.core.config.YamlTree.ListNode;
import io.grey.core.config.YamlTree.Location;
import io.grey.core.config.YamlTree.MapNode;
import io.grey.core.config.YamlTree.Node;
import io.grey.core.config.YamlTree.Scalar;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One mapping of the config file being read. Each accessor names a known key; {@link #finish()} then refuses
 * any key nobody asked for, listing the known ones. Every error carries file, line, column and key path.
 */
final class ConfigSection {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,10}");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private final MapNode node;
  private final String path;
  private final Path baseDir;
  private final Set<String> known = new LinkedHashSet<>();
  private final List<String> missing = new ArrayList<>();

  private ConfigSection(MapNode node, String path, Path baseDir) {
    this.node = node;
    this.path = path;
    this.baseDir = baseDir;
  }

  static ConfigSection root(Node root, Path baseDir) {
    return new ConfigSection(mapping(root, "(top level)"), "", baseDir);
  }

  /** The directory relative paths resolve against. */
  Path baseDir() {
    return baseDir;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A string, {@code fallback} when absent or empty ({@code key:} or {@code ~}). */
  String string(String key, String fallback, Check.Rule<String> rule) {
    Scalar s = scalar(key);
    String value = s == null ? fallback : s.text();
    return checked(key, s, value, rule);
  }

  /** A string that must be present; its absence is reported by {@link #build}, after unknown keys. */
  String requiredString(String key, Check.Rule<String> rule) {
    Scalar s = scalar(key);
    if (s == null) {
      missing.add(key);
      return "";
    }
    return checked(key, s, s.text(), rule);
  }

  int integer(String key, int fallback, Check.Rule<Integer> rule) {
    Scalar s = scalar(key);
    return checked(key, s, s == null ? fallback : parseInt(key, s), rule);
  }

  /** An integer that must be present; its absence is reported by {@link #build}, after unknown keys. */
  int requiredInteger(String key, Check.Rule<Integer> rule) {
    Scalar s = scalar(key);
    if (s == null) {
      missing.add(key);
      return 0;
    }
    return checked(key, s, parseInt(key, s), rule);
  }

  boolean bool(String key, boolean fallback) {
    Scalar s = scalar(key);
    if (s == null) {
      return fallback;
    }
    return switch (s.text().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw typeError(key, s, "true or false");
    };
  }

  double decimal(String key, double fallback, Check.Rule<Double> rule) {
    Scalar s = scalar(key);
    double value = fallback;
    if (s != null) {
      if (!DECIMAL.matcher(s.text()).matches()) {
        throw typeError(key, s, "a number");
      }
      value = Double.parseDouble(s.text());
    }
    return checked(key, s, value, rule);
  }

  Duration duration(String key, Duration fallback, Check.Rule<Duration> rule) {
    Scalar s = scalar(key);
    Duration value = fallback;
    if (s != null) {
      try {
        value = Durations.parse(s.text());
      } catch (ConfigException e) {
        throw new ConfigException(s.location() + ": " + path(key) + ": " + e.getMessage(), e);
      }
    }
    return checked(key, s, value, rule);
  }

  /** A file system path; a relative one resolves against {@link #baseDir()}. */
  Path path(String key, Path fallback) {
    Scalar s = scalar(key);
    if (s == null) {
      return fallback;
    }
    if (s.text().isBlank()) {
      throw new ConfigException(s.location() + ": " + path(key) + ": must not be empty");
    }
    try {
      return baseDir.resolve(s.text()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(s.location() + ": " + path(key) + ": '" + s.text() + "' is not a path: "
          + e.getReason(), e);
    }
  }

  /** A nested mapping read by {@code reader}, or {@code fallback} when the key is absent. */
  <T> T section(String key, Function<ConfigSection, T> reader, T fallback) {
    Node value = value(key);
    if (value == null) {
      return fallback;
    }
    return readSection(new ConfigSection(mapping(value, path(key)), path(key), baseDir), reader);
  }

  /** A list of mappings, each read by {@code reader}, or {@code fallback} when the key is absent. */
  <T> List<T> list(String key, Function<ConfigSection, T> reader, List<T> fallback) {
    Node value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof ListNode list)) {
      throw new ConfigException(value.location() + ": " + path(key) + ": expected a list, got " + describe(value));
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      String itemPath = path(key) + "[" + i + "]";
      Node item = list.items().get(i);
      out.add(readSection(new ConfigSection(mapping(item, itemPath), itemPath, baseDir), reader));
    }
    return out;
  }

  /**
   * Builds a record once every key was read: first refuses unknown keys (a misspelt key is the usual cause of
   * a missing one), then missing required keys; the record's own validation errors get this section's location.
   */
  <T> T build(Supplier<T> constructor) {
    finish();
    if (!missing.isEmpty()) {
      throw new ConfigException(node.location() + ": " + (path.isEmpty() ? "" : path + ": ") + "missing key '"
          + missing.getFirst() + "'");
    }
    try {
      return constructor.get();
    } catch (GreyException e) {
      throw new ConfigException(node.location() + ": " + e.getMessage(), e);
    }
  }

  /** Refuses keys that no accessor asked for. */
  void finish() {
    for (var e : node.entries().entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ConfigException(e.getValue().keyLocation() + ": unknown key '" + path(e.getKey())
            + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private static <T> T readSection(ConfigSection section, Function<ConfigSection, T> reader) {
    T result = reader.apply(section);
    section.finish();
    return result;
  }

  private Node value(String key) {
    known.add(key);
    Entry entry = node.entries().get(key);
    if (entry == null || (entry.value() instanceof Scalar s && s.isNull())) {
      return null;
    }
    return entry.value();
  }

  private Scalar scalar(String key) {
    Node value = value(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Scalar s) {
      return s;
    }
    throw new ConfigException(value.location() + ": " + path(key) + ": expected a single value, got "
        + describe(value));
  }

  private <T> T checked(String key, Scalar s, T value, Check.Rule<T> rule) {
    try {
      rule.check(path(key), value);
    } catch (ConfigException e) {
      Location at = s == null ? node.location() : s.location();
      throw new ConfigException(at + ": " + e.getMessage(), e);
    }
    return value;
  }

  private int parseInt(String key, Scalar s) {
    String text = s.text();
    if (!INTEGER.matcher(text).matches()) {
      throw typeError(key, s, "an integer");
    }
    long value = Long.parseLong(text);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw typeError(key, s, "an integer of at most 10 digits");
    }
    return (int) value;
  }

  private ConfigException typeError(String key, Scalar s, String expected) {
    return new ConfigException(s.location() + ": " + path(key) + ": expected " + expected + ", got '"
        + s.text() + "'");
  }

  private static MapNode mapping(Node node, String path) {
    if (node instanceof MapNode map) {
      return map;
    }
    throw new ConfigException(node.location() + ": " + path + ": expected a mapping (key: value lines), got "
        + describe(node));
  }

  private static String describe(Node node) {
    return switch (node) {
      case MapNode m -> "a mapping";
      case ListNode l -> "a list";
      case Scalar s -> "'" + s.text() + "'";
    };
  }
}
