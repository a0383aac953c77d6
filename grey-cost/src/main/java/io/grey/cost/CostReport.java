package io.grey.cost;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.InvalidRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Costs of one tenant (or all) over whole UTC days {@code from} to {@code to}, both included: the total, the total
 * per service, and the groups of the chosen breakdown, largest first (by day: in date order). Amounts are exact;
 * {@link #display} rounds half-even to cents for people.
 *
 * @param tenant the tenant, "" for all
 * @param from the first day
 * @param to the last day
 * @param by the breakdown
 * @param currency the catalog's currency
 * @param total the sum of every line
 * @param byService the total per service
 * @param groups one entry per group of the breakdown
 */
public record CostReport(String tenant, LocalDate from, LocalDate to, Breakdown by, String currency,
                         BigDecimal total, Map<String, BigDecimal> byService, List<Group> groups) {

  /** How a report is broken down. */
  public enum Breakdown {
    CLOUD, SERVICE, TASK, DAY;

    /**
     * The breakdown named {@code name} (cloud, service, task or day).
     *
     * @throws InvalidRequestException for any other name
     */
    public static Breakdown parse(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("by must be cloud, service, task or day, got '" + name + "'");
      }
    }

    String key(CostLine line) {
      return switch (this) {
        case CLOUD -> line.cloud();
        case SERVICE -> line.service();
        case TASK -> line.tenant() + "/" + line.task();
        case DAY -> line.day().toString();
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One group of a breakdown: its key, its amount and its amount per service. */
  public record Group(String key, BigDecimal amount, Map<String, BigDecimal> byService) {}

  static CostReport of(String tenant, LocalDate from, LocalDate to, Breakdown by, String currency,
                       List<CostLine> lines) {
    BigDecimal total = BigDecimal.ZERO;
    Map<String, BigDecimal> services = new TreeMap<>();
    Map<String, Map<String, BigDecimal>> groups = new TreeMap<>();
    for (CostLine l : lines) {
      total = total.add(l.amount(), Pricing.MATH);
      services.merge(l.service(), l.amount(), (a, b) -> a.add(b, Pricing.MATH));
      groups.computeIfAbsent(by.key(l), k -> new TreeMap<>())
          .merge(l.service(), l.amount(), (a, b) -> a.add(b, Pricing.MATH));
    }
    List<Group> out = new ArrayList<>();
    for (var e : groups.entrySet()) {
      BigDecimal sum = e.getValue().values().stream().reduce(BigDecimal.ZERO, (a, b) -> a.add(b, Pricing.MATH));
      out.add(new Group(e.getKey(), sum, Map.copyOf(e.getValue())));
    }
    if (by != Breakdown.DAY) {
      out.sort((a, b) -> b.amount().compareTo(a.amount()));
    }
    return new CostReport(tenant, from, to, by, currency, total, Map.copyOf(services), List.copyOf(out));
  }

  /** {@code amount} rounded half-even to cents, as text ({@code 12.35}). */
  public static String display(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** {@code amount} to 10 decimal places (half-even), the precision of the JSON and CSV outputs. */
  public static BigDecimal exact(BigDecimal amount) {
    return amount.setScale(10, RoundingMode.HALF_EVEN);
  }

  /** The report as JSON: amounts exact to 10 places, plus {@code *_rounded} in cents. */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("tenant", tenant.isEmpty() ? "*" : tenant);
    root.put("from", from.toString());
    root.put("to", to.toString());
    root.put("by", by.toString());
    root.put("currency", currency);
    root.put("total", exact(total));
    root.put("total_rounded", display(total));
    ObjectNode services = root.putObject("by_service");
    new TreeMap<>(byService).forEach((k, v) -> services.put(k, exact(v)));
    ArrayNode list = root.putArray("groups");
    for (Group g : groups) {
      ObjectNode node = list.addObject();
      node.put("key", g.key());
      node.put("amount", exact(g.amount()));
      node.put("amount_rounded", display(g.amount()));
      ObjectNode s = node.putObject("by_service");
      new TreeMap<>(g.byService()).forEach((k, v) -> s.put(k, exact(v)));
    }
    return root;
  }

  /** The groups as CSV ({@code key,service,amount}, one line per group and service, exact amounts). */
  public String toCsv() {
    StringBuilder out = new StringBuilder(by + ",service,amount_" + currency.toLowerCase(Locale.ROOT) + "\n");
    for (Group g : groups) {
      new TreeMap<>(g.byService()).forEach((service, amount) ->
          out.append(csv(g.key())).append(',').append(service).append(',').append(exact(amount).toPlainString())
              .append('\n'));
    }
    out.append("total,,").append(exact(total).toPlainString()).append('\n');
    return out.toString();
  }

  private static String csv(String value) {
    return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
