package io.grey.cost;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;

/**
 * A cost forecast for the days after a daily history.
 *
 * @param method how it was made (see {@link Forecaster})
 * @param level the probability the interval of each day is meant to cover (0.8)
 * @param historyDays how many days of history it was fitted on
 * @param days the forecast of each day
 * @param total the sum of the daily points
 * @param totalLower the lower bound of the total's interval
 * @param totalUpper the upper bound of the total's interval
 */
public record Forecast(String method, double level, int historyDays, List<Day> days, double total,
                       double totalLower, double totalUpper) {

  /** The forecast of one day: the point and the interval. */
  public record Day(LocalDate date, double point, double lower, double upper) {}

  /** As JSON, amounts rounded half-even to cents. */
  public ObjectNode toJson(String tenant, String currency) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("tenant", tenant.isEmpty() ? "*" : tenant);
    root.put("currency", currency);
    root.put("method", method);
    root.put("interval_level", level);
    root.put("history_days", historyDays);
    root.put("total", cents(total));
    root.put("total_lower", cents(totalLower));
    root.put("total_upper", cents(totalUpper));
    var list = root.putArray("days");
    for (Day d : days) {
      list.addObject().put("date", d.date().toString()).put("point", cents(d.point()))
          .put("lower", cents(d.lower())).put("upper", cents(d.upper()));
    }
    return root;
  }

  /** {@code value} rounded half-even to cents. */
  public static BigDecimal cents(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
  }
}
