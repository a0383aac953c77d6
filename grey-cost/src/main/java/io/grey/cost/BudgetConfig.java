package io.grey.cost;

import io.grey.core.ConfigException;
import java.math.BigDecimal;
import java.util.List;

/**
 * One budget: spending of {@code tenant} (every tenant when "") per calendar month (UTC), with alert thresholds
 * in percent of {@code amount}.
 *
 * @param name the budget's name, the {@code budget} label of its metrics
 * @param amount the amount per period
 * @param currency the currency of {@code amount}; must be the catalog's
 * @param alerts thresholds in percent, ascending, each 1 to 1000
 * @param tenant the tenant it covers; "" for all
 * @param period {@code monthly}, the only period
 */
public record BudgetConfig(String name, BigDecimal amount, String currency, List<Integer> alerts, String tenant,
                           String period) {
  /** The only period Grey supports: the calendar month in UTC. */
  public static final String MONTHLY = "monthly";

  /** @throws ConfigException naming the field that is invalid */
  public BudgetConfig {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new ConfigException("cost.budgets: name must be 1-63 letters, digits, '.', '_' or '-', got '" + name
          + "'");
    }
    if (amount == null || amount.signum() <= 0) {
      throw new ConfigException("cost.budgets: amount of budget " + name + " must be above 0");
    }
    alerts = List.copyOf(alerts);
    int previous = 0;
    for (int a : alerts) {
      if (a < 1 || a > 1000 || a <= previous) {
        throw new ConfigException("cost.budgets: alerts of budget " + name
            + " must be ascending percentages from 1 to 1000, got " + alerts);
      }
      previous = a;
    }
    if (!MONTHLY.equals(period)) {
      throw new ConfigException("cost.budgets: period of budget " + name + " must be monthly, got '" + period + "'");
    }
    tenant = tenant == null ? "" : tenant;
  }
}
