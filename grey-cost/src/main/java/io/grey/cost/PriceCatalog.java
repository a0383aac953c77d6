package io.grey.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.grey.core.ConfigException;
import io.grey.core.config.ConfigSection;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The prices Grey turns usage into money with: one {@link PriceRow} per cloud, region and storage class, read
 * from a YAML file ({@code prices:} list of rows) or the built-in defaults (S3 Standard, Standard-IA, Glacier;
 * GCS Standard, Nearline, Coldline, Archive; Azure Blob Hot, Cool, Archive; local disk), with operator
 * overrides applied on top. Immutable.
 */
public final class PriceCatalog {
  /** The keys of one price row, in file order. */
  static final List<String> KEYS = List.of("cloud", "region", "storage_class", "storage_gb_month",
      "write_per_1000", "read_per_1000", "list_per_1000", "delete_per_1000", "retrieval_gb", "egress_gb",
      "inter_region_gb", "inter_cloud_gb", "source", "date");
  private static final String DEFAULTS = "default-prices.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final List<PriceRow> rows;

  PriceCatalog(List<PriceRow> rows) {
    this.rows = List.copyOf(rows);
  }

  /** The built-in catalog. */
  public static PriceCatalog defaults() {
    try (InputStream in = PriceCatalog.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("built-in price catalog " + DEFAULTS + " is missing from the jar");
      }
      return parse(YAML.readTree(in), "built-in catalog");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in price catalog", e);
    }
  }

  /**
   * The catalog in {@code file}.
   *
   * @throws ConfigException naming the file and row when it cannot be read or a row is invalid
   */
  public static PriceCatalog load(Path file) {
    try {
      return parse(YAML.readTree(Files.readAllBytes(file)), file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read the price catalog " + file + ": " + e.getMessage(), e);
    }
  }

  private static PriceCatalog parse(JsonNode root, String source) {
    if (root == null || !root.path("prices").isArray()) {
      throw new ConfigException(source + ": expected a 'prices:' list of price rows");
    }
    List<PriceRow> rows = new ArrayList<>();
    int i = 0;
    for (JsonNode row : root.get("prices")) {
      String where = source + ": prices[" + i++ + "]";
      if (!row.isObject()) {
        throw new ConfigException(where + ": expected a mapping");
      }
      for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!KEYS.contains(name)) {
          throw new ConfigException(where + ": unknown key '" + name + "' (known: " + String.join(", ", KEYS) + ")");
        }
      }
      Function<String, String> text = key -> {
        JsonNode v = row.get(key);
        if (v == null || v.isNull()) {
          throw new ConfigException(where + ": missing key '" + key + "'");
        }
        return v.asText();
      };
      try {
        rows.add(new PriceRow(text.apply("cloud"), text.apply("region"), text.apply("storage_class"),
            decimal(where, "storage_gb_month", text), decimal(where, "write_per_1000", text),
            decimal(where, "read_per_1000", text), decimal(where, "list_per_1000", text),
            decimal(where, "delete_per_1000", text), decimal(where, "retrieval_gb", text),
            decimal(where, "egress_gb", text), decimal(where, "inter_region_gb", text),
            decimal(where, "inter_cloud_gb", text), text.apply("source"), text.apply("date")));
      } catch (ConfigException e) {
        throw e.getMessage().startsWith(source) ? e : new ConfigException(where + ": " + e.getMessage(), e);
      }
    }
    return new PriceCatalog(rows);
  }

  private static BigDecimal decimal(String where, String key, Function<String, String> text) {
    String value = text.apply(key);
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": " + key + ": expected a number, got '" + value + "'");
    }
  }

  /**
   * This catalog with the {@code cost.prices} rows of {@code section} applied: a row naming an existing cloud and
   * storage class (and region, when given) replaces the prices it sets and keeps the others; a row naming a new
   * one must set every key. Every override states its {@code source} and {@code date}.
   *
   * @throws ConfigException at the line of the offending key
   */
  PriceCatalog withOverrides(List<PriceOverride> overrides) {
    List<PriceRow> result = new ArrayList<>(rows);
    for (PriceOverride o : overrides) {
      Optional<Integer> at = Optional.empty();
      for (int i = 0; i < result.size(); i++) {
        PriceRow r = result.get(i);
        if (r.matches(o.cloud(), o.storageClass()) && (o.region().isEmpty() || r.region().equals(o.region()))) {
          at = Optional.of(i);
          break;
        }
      }
      if (at.isPresent()) {
        result.set(at.get(), o.applyTo(result.get(at.get())));
      } else {
        result.add(o.newRow());
      }
    }
    return new PriceCatalog(result);
  }

  /** Every row, in catalog order. */
  public List<PriceRow> rows() {
    return rows;
  }

  /**
   * The row of {@code cloud}'s {@code storageClass} in {@code region}, or, when the catalog has none for that
   * region, the first row of that cloud and class.
   */
  public Optional<PriceRow> find(String cloud, String storageClass, String region) {
    Optional<PriceRow> exact = rows.stream()
        .filter(r -> r.matches(cloud, storageClass) && r.region().equals(region)).findFirst();
    return exact.isPresent() ? exact : rows.stream().filter(r -> r.matches(cloud, storageClass)).findFirst();
  }

  /**
   * One {@code cost.prices} entry: the row it names and the prices it sets (empty: keep the row's).
   *
   * @param location where the entry is written, for errors
   */
  record PriceOverride(String cloud, String region, String storageClass, List<Optional<BigDecimal>> prices,
                  String source, String date, String location) {
    static final List<String> PRICE_KEYS = KEYS.subList(3, 12);

    static PriceOverride read(ConfigSection s) {
      String cloud = s.requiredString("cloud");
      String region = s.string("region", "");
      String storageClass = s.requiredString("storage_class");
      List<Optional<BigDecimal>> prices = new ArrayList<>();
      for (String key : PRICE_KEYS) {
        String text = s.string(key, "");
        if (text.isEmpty()) {
          prices.add(Optional.empty());
          continue;
        }
        try {
          BigDecimal value = new BigDecimal(text);
          if (value.signum() < 0) {
            throw s.error(key, "must not be negative, got " + text);
          }
          prices.add(Optional.of(value));
        } catch (NumberFormatException e) {
          throw s.error(key, "expected a number, got '" + text + "'");
        }
      }
      String source = s.requiredString("source");
      String date = s.requiredString("date");
      return s.build(() -> new PriceOverride(cloud.toLowerCase(Locale.ROOT), region,
          storageClass.toUpperCase(Locale.ROOT), List.copyOf(prices), source, date, s.location()));
    }

    PriceRow applyTo(PriceRow r) {
      List<BigDecimal> old = List.of(r.storageGbMonth(), r.writePer1000(), r.readPer1000(), r.listPer1000(),
          r.deletePer1000(), r.retrievalGb(), r.egressGb(), r.interRegionGb(), r.interCloudGb());
      List<BigDecimal> p = new ArrayList<>();
      for (int i = 0; i < old.size(); i++) {
        p.add(prices.get(i).orElse(old.get(i)));
      }
      return new PriceRow(r.cloud(), r.region(), r.storageClass(), p.get(0), p.get(1), p.get(2), p.get(3),
          p.get(4), p.get(5), p.get(6), p.get(7), p.get(8), source, date);
    }

    PriceRow newRow() {
      List<BigDecimal> p = new ArrayList<>();
      for (int i = 0; i < prices.size(); i++) {
        int index = i;
        p.add(prices.get(i).orElseThrow(() -> new ConfigException(location + ": cost.prices: " + cloud + "/"
            + storageClass + " is not in the catalog, so it must set " + PRICE_KEYS.get(index))));
      }
      if (region.isEmpty()) {
        throw new ConfigException(location + ": cost.prices: " + cloud + "/" + storageClass
            + " is not in the catalog, so it must set region");
      }
      return new PriceRow(cloud, region, storageClass, p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5),
          p.get(6), p.get(7), p.get(8), source, date);
    }
  }

  /** The names of the clouds in this catalog. */
  Set<String> clouds() {
    return new java.util.LinkedHashSet<>(rows.stream().map(PriceRow::cloud).toList());
  }
}
