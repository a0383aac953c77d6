package io.grey.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * Where one budget stands in its current period.
 *
 * @param budget the budget
 * @param period the period, {@code YYYY-MM}
 * @param spent the cost so far in the period, exact
 * @param usedRatio spent / amount
 * @param crossed the thresholds (percent) already crossed and announced in this period, ascending
 */
public record BudgetStatus(BudgetConfig budget, String period, BigDecimal spent, double usedRatio,
                           List<Integer> crossed) {}
