package io.grey.cost;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The read side of metering: hourly usage from metering.db priced into cost lines. Thread-safe. */
final class CostLedger {
  private final MeteringDb db;
  private final Pricing pricing;
  private final String currency;

  CostLedger(MeteringDb db, Pricing pricing, String currency) {
    this.db = db;
    this.pricing = pricing;
    this.currency = currency;
  }

  MeteringDb db() {
    return db;
  }

  Pricing pricing() {
    return pricing;
  }

  String currency() {
    return currency;
  }

  static long hourOf(LocalDate day) {
    return day.atStartOfDay().toEpochSecond(ZoneOffset.UTC) / 3600;
  }

  /** The usage of {@code tenant} ("" for all) on days {@code from} to {@code to}, both included. */
  List<UsageRow> usage(String tenant, LocalDate from, LocalDate to) {
    return db.usage(hourOf(from), hourOf(to.plusDays(1)), tenant);
  }

  List<CostLine> lines(String tenant, LocalDate from, LocalDate to) {
    return pricing.lines(usage(tenant, from, to));
  }

  CostReport report(String tenant, LocalDate from, LocalDate to, CostReport.Breakdown by) {
    return CostReport.of(tenant, from, to, by, currency, lines(tenant, from, to));
  }

  BigDecimal total(String tenant, LocalDate from, LocalDate to) {
    return lines(tenant, from, to).stream().map(CostLine::amount)
        .reduce(BigDecimal.ZERO, (a, b) -> a.add(b, Pricing.MATH));
  }

  /** The cost of each day from {@code from} to {@code to}, both included, zero for days without usage. */
  Map<LocalDate, BigDecimal> daily(String tenant, LocalDate from, LocalDate to) {
    Map<LocalDate, BigDecimal> out = new TreeMap<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      out.put(d, BigDecimal.ZERO);
    }
    for (CostLine l : lines(tenant, from, to)) {
      out.merge(l.day(), l.amount(), (a, b) -> a.add(b, Pricing.MATH));
    }
    return out;
  }
}
