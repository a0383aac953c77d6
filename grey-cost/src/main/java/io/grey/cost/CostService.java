package io.grey.cost;

import io.grey.core.InvalidRequestException;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.Layer;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grey's cost attribution over {@code <data_dir>/metering.db}: the {@link MeteringLayer} that measures usage
 * (server side), and reports, budgets, forecasts and comparisons priced with the configured catalog. A server
 * opens it with {@link #open}, wraps each named store in {@link #meteringLayer()} and calls {@link #start} to
 * flush every {@code cost.flush_interval} (so a crash loses at most that interval of metering), which also
 * refreshes the cost metrics and checks the budgets. The CLI opens it with {@link #openReader} to read the same
 * database while a server writes it (SQLite WAL). Thread-safe.
 */
public final class CostService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CostService.class);

  private final CostConfig config;
  private final MeteringDb db;
  private final Meter meter;
  private final CostLedger ledger;
  private final BudgetMonitor budgets;
  private final Comparer comparer;
  private final Clock clock;
  private volatile CostMetrics metrics;
  private ScheduledExecutorService flusher;

  private CostService(CostConfig config, MeteringDb db, Meter meter, Pricing pricing, Clock clock) {
    this.config = config;
    this.db = db;
    this.meter = meter;
    this.clock = clock;
    this.ledger = new CostLedger(db, pricing, config.currency());
    this.budgets = new BudgetMonitor(ledger, config.budgets(), config.webhookUrl(), clock, this::alerted);
    this.comparer = new Comparer(ledger, clock);
  }

  /**
   * Opens metering for a server with {@code config}: reads the {@code cost:} section and the catalog, opens
   * (creating) {@code <data_dir>/metering.db} and resumes storage accrual from its last flush.
   *
   * @throws io.grey.core.ConfigException if the cost section or the catalog is invalid
   * @throws io.grey.core.StoreUnavailableException if the database cannot be opened
   */
  public static CostService open(GreyConfig config, Clock clock) {
    return open(config, clock, true);
  }

  /** Opens {@code <data_dir>/metering.db} for reports only (no metering): what the CLI uses. */
  public static CostService openReader(GreyConfig config, Clock clock) {
    return open(config, clock, false);
  }

  private static CostService open(GreyConfig config, Clock clock, boolean metering) {
    Objects.requireNonNull(clock, "clock");
    CostConfig cost = CostConfig.of(config);
    Pricing pricing = new Pricing(cost.priceCatalog(), cost.stores(), CostConfig.defaultBinding(config));
    MeteringDb db = MeteringDb.open(dbFile(config));
    try {
      return new CostService(cost, db, metering ? new Meter(db, clock) : null, pricing, clock);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Where the metering database of {@code config} lives. */
  public static Path dbFile(GreyConfig config) {
    return config.server().dataDir().toAbsolutePath().resolve(MeteringDb.FILE_NAME);
  }

  /** The {@code cost:} configuration in force. */
  public CostConfig config() {
    return config;
  }

  /** The price catalog in force (built-in or file, with overrides). */
  public PriceCatalog catalog() {
    return ledger.pricing().catalog();
  }

  /**
   * The layer that meters a named store; stack it directly above the store's retry layer.
   *
   * @throws InvalidRequestException if this service was opened with {@link #openReader}
   */
  public Layer meteringLayer() {
    if (meter == null) {
      throw new InvalidRequestException("a cost reader does not meter; open the cost service with open()");
    }
    return new MeteringLayer(meter);
  }

  /** Publishes the cost gauges and the budget counter on {@code registry} and fills them now. */
  public void bindMetrics(MeterRegistry registry) {
    metrics = new CostMetrics(registry, clock);
    refresh();
  }

  /** Flushes every {@code cost.flush_interval} on a background virtual thread until {@link #close}. */
  public synchronized void start() {
    if (flusher != null || meter == null) {
      return;
    }
    flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("grey-cost-flush").factory());
    long period = config.flushInterval().toMillis();
    flusher.scheduleWithFixedDelay(() -> {
      try {
        flush();
      } catch (RuntimeException e) {
        // The deltas stay in memory and go with the next flush.
        LOG.warn("metering flush failed; retrying in {} ms: {}", period, e.toString());
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Writes metered usage to the database, refreshes the metrics and checks the budgets (announcing newly crossed
   * thresholds). Idempotent when nothing was metered since the last flush.
   */
  public void flush() {
    if (meter != null) {
      meter.flush();
    }
    refresh();
    List<BudgetStatus> statuses = budgets.check();
    CostMetrics m = metrics;
    if (m != null) {
      m.budgets(statuses);
    }
  }

  private void refresh() {
    CostMetrics m = metrics;
    if (m != null) {
      m.refresh(ledger);
      m.budgets(budgets.status());
    }
  }

  private void alerted(BudgetConfig budget, int threshold) {
    CostMetrics m = metrics;
    if (m != null) {
      m.alert(budget, threshold);
    }
  }

  /**
   * The costs of {@code tenant} ("" for every tenant) on the UTC days {@code from} to {@code to}, both included,
   * broken down {@code by}; includes what was metered but not yet flushed (this call flushes, and refreshes the
   * cost gauges).
   *
   * @throws InvalidRequestException if {@code to} is before {@code from}
   */
  public CostReport report(String tenant, LocalDate from, LocalDate to, CostReport.Breakdown by) {
    if (to.isBefore(from)) {
      throw new InvalidRequestException("to (" + to + ") is before from (" + from + ")");
    }
    flushMeter();
    return ledger.report(tenant, from, to, by);
  }

  /**
   * This calendar month (UTC) so far, from one flush: each tenant's cost, and every budget's status.
   *
   * @param byTenant each tenant's cost, by tenant in name order
   * @param budgets every budget's status in its current period
   */
  public record MonthToDate(java.util.SortedMap<String, BigDecimal> byTenant, List<BudgetStatus> budgets) {}

  /** This month's cost per tenant and the budgets' status; includes what was metered but not yet flushed. */
  public MonthToDate monthToDate() {
    flushMeter();
    LocalDate today = today();
    java.util.SortedMap<String, BigDecimal> byTenant = new java.util.TreeMap<>();
    for (CostLine line : ledger.lines("", today.withDayOfMonth(1), today)) {
      byTenant.merge(line.tenant(), line.amount(), BigDecimal::add);
    }
    return new MonthToDate(byTenant, budgets.status());
  }

  /** Every budget's status in its current period. */
  public List<BudgetStatus> budgetStatus() {
    flushMeter();
    return budgets.status();
  }

  /**
   * The cost forecast of {@code tenant} ("" for all) for the {@code days} days after today, fitted on the
   * {@code historyDays} complete days before today.
   *
   * @throws InvalidRequestException if {@code days} is not 1 to 366 or {@code historyDays} not 1 to 3660
   */
  public Forecast forecast(String tenant, int days, int historyDays) {
    if (days < 1 || days > 366) {
      throw new InvalidRequestException("days must be 1 to 366, got " + days);
    }
    if (historyDays < 1 || historyDays > 3660) {
      throw new InvalidRequestException("history must be 1 to 3660 days, got " + historyDays);
    }
    flushMeter();
    LocalDate today = today();
    LocalDate from = today.minusDays(historyDays);
    Map<LocalDate, BigDecimal> daily = ledger.daily(tenant, from, today.minusDays(1));
    // Days before the first measured one are not part of the history: they would pull the trend to zero.
    List<LocalDate> dates = daily.entrySet().stream().filter(e -> e.getValue().signum() != 0)
        .map(Map.Entry::getKey).toList();
    LocalDate start = dates.isEmpty() ? today : dates.getFirst();
    double[] series = daily.entrySet().stream().filter(e -> !e.getKey().isBefore(start))
        .mapToDouble(e -> e.getValue().doubleValue()).toArray();
    return Forecaster.forecast(series, start, days);
  }

  /**
   * What {@code tenant}'s usage of the {@code windowDays} days up to today would cost per month on each catalog
   * row, cheapest first, with recommendations for moving old artifacts.
   *
   * @throws InvalidRequestException if {@code tenant} is blank or {@code windowDays} is not 1 to 366
   */
  public Comparison compare(String tenant, int windowDays) {
    if (tenant.isBlank()) {
      throw new InvalidRequestException("compare needs a tenant");
    }
    if (windowDays < 1 || windowDays > 366) {
      throw new InvalidRequestException("window must be 1 to 366 days, got " + windowDays);
    }
    flushMeter();
    LocalDate today = today();
    return comparer.compare(tenant, today.minusDays(windowDays - 1L), today, db.objects());
  }

  /** Today in UTC by the service's clock. */
  public LocalDate today() {
    return LocalDate.ofInstant(Instant.now(clock), ZoneOffset.UTC);
  }

  Optional<Meter> meter() {
    return Optional.ofNullable(meter);
  }

  /** Flushes the meter so that a read sees every call so far, and brings the cost gauges up to date with it. */
  private void flushMeter() {
    if (meter != null) {
      meter.flush();
      refresh();
    }
  }

  /** Stops the flusher, writes what is still in memory and closes the database. */
  @Override
  public void close() {
    ScheduledExecutorService f;
    synchronized (this) {
      f = flusher;
      flusher = null;
    }
    try {
      if (f != null) {
        f.shutdown();
        f.awaitTermination(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        if (meter != null) {
          meter.close();
        }
      } finally {
        db.close();
      }
    }
  }
}
