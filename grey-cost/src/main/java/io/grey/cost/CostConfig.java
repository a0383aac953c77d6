package io.grey.cost;

import io.grey.core.ConfigException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.GreyConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code cost:} section of grey.yaml.
 *
 * @param enabled whether the server meters usage ({@code enabled}, default true)
 * @param currency the currency of the catalog and of every budget ({@code currency}, default USD)
 * @param catalog a price catalog file replacing the built-in one ({@code catalog}; empty: built-in)
 * @param prices overrides of catalog rows ({@code prices})
 * @param budgets the budgets ({@code budgets})
 * @param webhookUrl where budget alerts are POSTed as JSON ({@code webhook_url}; "" for none)
 * @param stores how each named store is priced ({@code stores}); a store not listed is priced as the server's
 *     backend ({@code storage.backend}: local, s3 as aws, gcs as gcp, azure)
 * @param flushInterval how often metered usage is written to metering.db and budgets are checked
 *     ({@code flush_interval}, default 1m): a crash loses at most this much metering
 */
public record CostConfig(boolean enabled, String currency, Optional<Path> catalog,
                         List<PriceCatalog.PriceOverride> prices, List<BudgetConfig> budgets, String webhookUrl,
                         List<StoreBinding> stores, Duration flushInterval) {
  /** The default currency. */
  public static final String USD = "USD";

  /** @throws ConfigException if a budget's currency is not {@code currency} or the webhook is not http(s) */
  public CostConfig {
    prices = List.copyOf(prices);
    budgets = List.copyOf(budgets);
    stores = List.copyOf(stores);
    for (BudgetConfig b : budgets) {
      if (!b.currency().equals(currency)) {
        throw new ConfigException("cost.budgets: budget " + b.name() + " is in " + b.currency()
            + " but cost.currency is " + currency + " (Grey converts no currencies)");
      }
    }
    if (!webhookUrl.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(webhookUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("cost.webhook_url '" + webhookUrl + "' is not a URL", e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new ConfigException("cost.webhook_url must be an http or https URL, got '" + webhookUrl + "'");
      }
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new ConfigException("cost.flush_interval must be positive, got " + flushInterval);
    }
  }

  /** The {@code cost:} section of {@code config}, or the defaults when it has none. */
  public static CostConfig of(GreyConfig config) {
    return config.providerSection("cost").map(CostConfig::read).orElseGet(CostConfig::defaults);
  }

  /** Metering on, USD, the built-in catalog, no budgets, no webhook, flushed every minute. */
  public static CostConfig defaults() {
    return new CostConfig(true, USD, Optional.empty(), List.of(), List.of(), "", List.of(), Duration.ofMinutes(1));
  }

  static CostConfig read(ConfigSection s) {
    boolean enabled = s.bool("enabled", true);
    String currency = s.string("currency", USD).toUpperCase(Locale.ROOT);
    Optional<Path> catalog = s.string("catalog", "").isBlank() ? Optional.empty()
        : Optional.of(s.path("catalog", Path.of("")));
    List<PriceCatalog.PriceOverride> prices = s.list("prices", PriceCatalog.PriceOverride::read, List.of());
    List<BudgetConfig> budgets = s.list("budgets", b -> readBudget(b, currency), List.of());
    String webhook = s.string("webhook_url", "");
    List<StoreBinding> stores = s.list("stores", CostConfig::readStore, List.of());
    Duration flush = s.duration("flush_interval", Duration.ofMinutes(1));
    return s.build(() -> new CostConfig(enabled, currency, catalog, prices, budgets, webhook, stores, flush));
  }

  private static BudgetConfig readBudget(ConfigSection s, String currency) {
    String name = s.requiredString("name");
    String amountText = s.requiredString("amount");
    String budgetCurrency = s.string("currency", currency).toUpperCase(Locale.ROOT);
    List<Integer> alerts = new ArrayList<>();
    for (String a : s.strings("alerts", List.of("50", "80", "100"))) {
      try {
        alerts.add(Integer.parseInt(a.strip()));
      } catch (NumberFormatException e) {
        throw s.error("alerts", "expected whole percentages like [50, 80, 100], got '" + a + "'");
      }
    }
    String tenant = s.string("tenant", "");
    String period = s.string("period", BudgetConfig.MONTHLY);
    return s.build(() -> {
      BigDecimal amount;
      try {
        amount = new BigDecimal(amountText);
      } catch (NumberFormatException e) {
        throw s.error("amount", "expected a number, got '" + amountText + "'");
      }
      return new BudgetConfig(name, amount, budgetCurrency, alerts, tenant, period);
    });
  }

  private static StoreBinding readStore(ConfigSection s) {
    String store = s.requiredString("store");
    String cloud = s.requiredString("cloud");
    String region = s.string("region", "");
    String storageClass = s.requiredString("storage_class");
    return s.build(() -> new StoreBinding(store, cloud, region, storageClass));
  }

  /**
   * The catalog this config prices with: the built-in one or {@code catalog}, with {@code prices} applied.
   *
   * @throws ConfigException if the catalog file or an override is invalid
   */
  public PriceCatalog priceCatalog() {
    PriceCatalog base = catalog.map(PriceCatalog::load).orElseGet(PriceCatalog::defaults);
    return base.withOverrides(prices);
  }

  /**
   * How stores not named in {@code stores} are priced: the cloud of {@code config}'s {@code storage.backend}, with
   * the storage class and region of its backend section when set there ({@code aws.s3.storage_class},
   * {@code aws.s3.region}, {@code azure.blob_storage.access_tier}, {@code gcp.gcs.storage_class}), else the
   * cloud's standard class.
   */
  public static StoreBinding defaultBinding(GreyConfig config) {
    String backend = config.storage().backend();
    return switch (backend) {
      case "s3" -> {
        Optional<ConfigSection> s3 = config.providerSection("aws").flatMap(a -> a.child("s3"));
        String region = s3.map(s -> s.string("region", "")).orElse("");
        if (region.isEmpty()) {
          region = config.providerSection("aws").map(a -> a.string("region", "")).orElse("");
        }
        yield new StoreBinding(backend, "aws", region,
            s3.map(s -> s.string("storage_class", "")).filter(c -> !c.isEmpty()).orElse("STANDARD"));
      }
      case "azure" -> new StoreBinding(backend, "azure", "",
          config.providerSection("azure").flatMap(a -> a.child("blob_storage"))
              .map(s -> s.string("access_tier", "")).filter(c -> !c.isEmpty()).orElse("HOT"));
      case "gcs" -> new StoreBinding(backend, "gcp", "",
          config.providerSection("gcp").flatMap(g -> g.child("gcs"))
              .map(s -> s.string("storage_class", "")).filter(c -> !c.isEmpty()).orElse("STANDARD"));
      default -> new StoreBinding(backend, "local", "local", "STANDARD");
    };
  }
}
