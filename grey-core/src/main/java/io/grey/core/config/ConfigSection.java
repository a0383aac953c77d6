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
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One mapping of a config file, remembering where each of its keys was written. Each accessor names a known key
 * and reads it (its fallback when absent); {@link #build} then refuses any key nobody asked for, listing the known
 * ones, and gives a record's own validation error the line of the key it names. Every error is a
 * {@link ConfigException} that starts with {@code file:line:column:} and names the full key path.
 *
 * <p>Core reads its own sections with it; the sections a backend module owns ({@code aws}, {@code azure},
 * {@code gcp}) are kept in {@link GreyConfig#providerSection} and read by that module with the same accessors.
 * A reader tracks the keys it was asked for, so one instance is for one thread; {@link GreyConfig} hands out a
 * fresh reader each time. Equality is that of the written mapping, its key path and its base directory.
 */
public final class ConfigSection {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,10}");
  private static final Pattern BYTES = Pattern.compile("(\\d{1,19})\\s*(B|KiB|MiB|GiB)?");
  private static final Pattern LEADING_PATH = Pattern.compile("^([a-z0-9_.\\[\\]]+)[: ]");
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

  /** An empty section at {@code path}, standing for one the file does not have; reads give the fallbacks. */
  public static ConfigSection empty(String path) {
    return new ConfigSection(new MapNode(java.util.Map.of(), new Location("(not configured)", 1, 1)), path,
        Path.of("").toAbsolutePath());
  }

  /** A reader of the same mapping that has not been asked for any key yet. */
  ConfigSection fresh() {
    return new ConfigSection(node, path, baseDir);
  }

  /** The full key path of this section, for example {@code aws.s3}; "" for the top level. */
  public String keyPath() {
    return path;
  }

  /** The full key path of {@code key} in this section, for example {@code aws.s3.bucket}. */
  public String keyPath(String key) {
    return path(key);
  }

  /** Where this mapping starts, as {@code file:line:column}. */
  public String location() {
    return node.location().toString();
  }

  /** Whether the file gives {@code key} a non-empty value in this section. Does not mark the key as known. */
  public boolean has(String key) {
    Entry entry = node.entries().get(key);
    return entry != null && !(entry.value() instanceof Scalar s && s.isNull());
  }

  /** Whether the file wrote this section with no keys (or not at all). */
  public boolean isEmpty() {
    return node.entries().isEmpty();
  }

  /** A string, {@code fallback} when absent or empty. */
  public String string(String key, String fallback) {
    return string(key, fallback, (p, v) -> { });
  }

  /** A string that must be present; its absence is reported by {@link #build}, after unknown keys. */
  public String requiredString(String key) {
    return requiredString(key, (p, v) -> { });
  }

  /** An integer, {@code fallback} when absent. */
  public int integer(String key, int fallback) {
    return integer(key, fallback, (p, v) -> { });
  }

  /** A duration such as {@code 100ms}, {@code 30s} or {@code 7d}, {@code fallback} when absent. */
  public Duration duration(String key, Duration fallback) {
    return duration(key, fallback, (p, v) -> { });
  }

  /**
   * A size in bytes, written as a whole number with an optional unit {@code B}, {@code KiB}, {@code MiB} or
   * {@code GiB} ({@code 8MiB}), {@code fallback} when absent.
   */
  public long byteSize(String key, long fallback) {
    Scalar s = scalar(key);
    if (s == null) {
      return fallback;
    }
    Matcher m = BYTES.matcher(s.text().strip());
    if (!m.matches()) {
      throw typeError(key, s, "a size in bytes like 8388608 or 8MiB");
    }
    int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      default -> 0;
    };
    try {
      long value = Long.parseLong(m.group(1));
      if (value > (Long.MAX_VALUE >> shift)) {
        throw typeError(key, s, "a size of at most 2^63 bytes");
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw typeError(key, s, "a size of at most 2^63 bytes");
    }
  }

  /**
   * Marks {@code key} as one Grey knows but does not implement: when the file sets it, the read fails naming the
   * key, its line and {@code reason}, instead of accepting a setting that would have no effect.
   */
  public void unsupported(String key, String reason) {
    known.add(key);
    Entry entry = node.entries().get(key);
    if (entry != null) {
      throw new ConfigException(entry.keyLocation() + ": " + path(key) + ": not supported by Grey (" + reason
          + "); remove it");
    }
  }

  /** A failure about {@code key} of this section, at the key's line (the section's when the key is absent). */
  public ConfigException error(String key, String message) {
    Entry entry = node.entries().get(key);
    Location at = entry == null ? node.location() : entry.value().location();
    return new ConfigException(at + ": " + path(key) + ": " + message);
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

  /**
   * A list of single values ({@code [aws, gcp]} or one {@code - item} a line), {@code fallback} when absent; an
   * item that is itself a mapping or a list is refused naming its line.
   */
  public List<String> strings(String key, List<String> fallback) {
    Node value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof ListNode list)) {
      throw new ConfigException(value.location() + ": " + path(key) + ": expected a list, got " + describe(value));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      if (!(list.items().get(i) instanceof Scalar s) || s.isNull()) {
        throw new ConfigException(list.items().get(i).location() + ": " + path(key) + "[" + i
            + "]: expected a single value, got " + describe(list.items().get(i)));
      }
      out.add(s.text());
    }
    return List.copyOf(out);
  }

  /**
   * The keys written in this mapping, in the file's order, for sections whose keys are names the operator chooses
   * (such as {@code multi_cloud.stores}). Does not mark them as known: read each with {@link #section}.
   */
  public List<String> keys() {
    return List.copyOf(node.entries().keySet());
  }

  /** {@code true} or {@code false}, {@code fallback} when absent. */
  public boolean bool(String key, boolean fallback) {
    Scalar s = scalar(key);
    if (s == null) {
      return fallback;
    }
    return switch (s.text().toLowerCase(Locale.ROOT)) {
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

  /** A file system path; a relative one resolves against the config file's directory. */
  public Path path(String key, Path fallback) {
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

  /**
   * A nested mapping read by {@code reader}, or {@code fallback} when the key is absent; its unknown keys are
   * refused once {@code reader} returns.
   */
  public <T> T section(String key, Function<ConfigSection, T> reader, T fallback) {
    Node value = value(key);
    if (value == null) {
      return fallback;
    }
    return readSection(new ConfigSection(mapping(value, path(key)), path(key), baseDir), reader);
  }

  /**
   * The nested mapping {@code key} as a reader of its own, kept unread (its keys are not checked, so a module can
   * peek at one key of a section another module owns); empty when the key is absent.
   */
  public Optional<ConfigSection> child(String key) {
    Node value = value(key);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(new ConfigSection(mapping(value, path(key)), path(key), baseDir));
  }

  /** Where {@code key} is written, or where this section starts when it is absent. */
  String keyLocation(String key) {
    Entry entry = node.entries().get(key);
    return (entry == null ? node.location() : entry.keyLocation()).toString();
  }

  /**
   * A list of mappings, each read by {@code reader} (whose unknown keys are refused), or {@code fallback} when
   * the key is absent.
   */
  public <T> List<T> list(String key, Function<ConfigSection, T> reader, List<T> fallback) {
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
   * a missing one), then missing required keys. A record's own validation error is reported at the line of the
   * key whose path starts its message (for example {@code aws.s3.bucket ...}), or at this section's start.
   */
  public <T> T build(Supplier<T> constructor) {
    finish();
    if (!missing.isEmpty()) {
      throw new ConfigException(node.location() + ": " + (path.isEmpty() ? "" : path + ": ") + "missing key '"
          + missing.getFirst() + "'");
    }
    try {
      return constructor.get();
    } catch (GreyException e) {
      throw new ConfigException(locate(e.getMessage()) + ": " + e.getMessage(), e);
    }
  }

  /** The position of the key path that starts {@code message}, searched in this section and below it. */
  private Location locate(String message) {
    Matcher m = LEADING_PATH.matcher(message == null ? "" : message);
    if (!m.find()) {
      return node.location();
    }
    String named = m.group(1);
    String prefix = path.isEmpty() ? "" : path + ".";
    if (!named.startsWith(prefix)) {
      return node.location();
    }
    Location at = node.location();
    MapNode current = node;
    for (String segment : named.substring(prefix.length()).split("\\.")) {
      Entry entry = current.entries().get(segment);
      if (entry == null) {
        break;
      }
      at = entry.value().location();
      if (!(entry.value() instanceof MapNode inner)) {
        break;
      }
      current = inner;
    }
    return at;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConfigSection that && node.equals(that.node) && path.equals(that.path)
        && baseDir.equals(that.baseDir);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, path, baseDir);
  }

  /** The key path and where it was written; never the values, which may be secrets. */
  @Override
  public String toString() {
    return "ConfigSection[" + (path.isEmpty() ? "(top level)" : path) + " at " + node.location() + "]";
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
