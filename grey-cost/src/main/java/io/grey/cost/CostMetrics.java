package io.grey.cost;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes cost on a Micrometer registry: {@value #COST} ({@code grey_cloud_cost_usd}{cloud,tenant,service}),
 * the month-to-date cost in the catalog's currency, and {@value #BUDGET_RATIO}
 * ({@code grey_budget_used_ratio}{budget}); both refreshed by {@link #refresh}. {@value #BUDGET_ALERTS}
 * ({@code grey_budget_alerts_total}{budget,threshold}) counts announced crossings. Thread-safe.
 */
final class CostMetrics {
  static final String COST = "grey.cloud.cost.usd";
  static final String BUDGET_RATIO = "grey.budget.used.ratio";
  static final String BUDGET_ALERTS = "grey.budget.alerts";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<List<String>, AtomicReference<Double>> costs = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> ratios = new ConcurrentHashMap<>();

  CostMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Sets the cost gauges to the month-to-date cost per cloud, tenant and service in {@code ledger}. */
  void refresh(CostLedger ledger) {
    YearMonth month = YearMonth.from(Instant.now(clock).atZone(ZoneOffset.UTC));
    Map<List<String>, Double> sums = new java.util.HashMap<>();
    for (CostLine l : ledger.lines("", month.atDay(1), month.atEndOfMonth())) {
      sums.merge(List.of(l.cloud(), l.tenant(), l.service()), l.amount().doubleValue(), Double::sum);
    }
    // Series of the previous month drop to 0 rather than disappear, so that a scrape never sees a gap.
    costs.forEach((k, v) -> v.set(sums.getOrDefault(k, 0.0)));
    sums.forEach((k, v) -> costs.computeIfAbsent(k, this::costGauge).set(v));
  }

  void budgets(List<BudgetStatus> statuses) {
    for (BudgetStatus s : statuses) {
      ratios.computeIfAbsent(s.budget().name(), this::ratioGauge).set(s.usedRatio());
      // Every threshold's counter exists from the start (at 0), so rate() and increase() see the first crossing.
      for (int threshold : s.budget().alerts()) {
        alertCounter(s.budget(), threshold);
      }
    }
  }

  void alert(BudgetConfig budget, int threshold) {
    alertCounter(budget, threshold).increment();
  }

  private Counter alertCounter(BudgetConfig budget, int threshold) {
    return Counter.builder(BUDGET_ALERTS).description("Budget thresholds crossed, once per threshold and period")
        .tags("budget", budget.name(), "threshold", Integer.toString(threshold))
        .register(registry);
  }

  private AtomicReference<Double> costGauge(List<String> key) {
    AtomicReference<Double> value = new AtomicReference<>(0.0);
    Gauge.builder(COST, value, AtomicReference::get)
        .description("Month-to-date cost of the measured usage, priced with the catalog")
        .tags("cloud", key.get(0), "tenant", key.get(1), "service", key.get(2))
        .strongReference(true)
        .register(registry);
    return value;
  }

  private AtomicReference<Double> ratioGauge(String budget) {
    AtomicReference<Double> value = new AtomicReference<>(0.0);
    Gauge.builder(BUDGET_RATIO, value, AtomicReference::get)
        .description("Spent / amount of the budget in its current period")
        .tags("budget", budget)
        .strongReference(true)
        .register(registry);
    return value;
  }
}
