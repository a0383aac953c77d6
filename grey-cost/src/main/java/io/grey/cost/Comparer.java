package io.grey.cost;

import io.grey.cost.MeteringDb.TrackedObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices a tenant's measured usage on every catalog row. The usage of the window (byte-seconds, requests by
 * class, egress, replicated bytes) is scaled to a 730-hour month by the window's length and priced with
 * {@link Pricing#costs}; the options are sorted cheapest first. Recommendations look at the tracked objects:
 * artifacts not rewritten for 30 days could move to the cloud's infrequent-access class, for 90 days to its
 * archive class; the saving is the storage price difference on their bytes (retrieval fees are stated, not
 * subtracted, since future reads are unknown).
 */
final class Comparer {
  private static final Map<String, String> INFREQUENT = Map.of("aws", "STANDARD_IA", "gcp", "NEARLINE",
      "azure", "COOL");
  private static final Map<String, String> ARCHIVE = Map.of("aws", "GLACIER", "gcp", "ARCHIVE", "azure",
      "ARCHIVE");

  private final CostLedger ledger;
  private final Clock clock;

  Comparer(CostLedger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  Comparison compare(String tenant, LocalDate from, LocalDate to, List<TrackedObject> objects) {
    long byteSeconds = 0;
    long writes = 0;
    long reads = 0;
    long lists = 0;
    long deletes = 0;
    long egress = 0;
    long replicated = 0;
    for (UsageRow u : ledger.usage(tenant, from, to)) {
      byteSeconds += u.byteSeconds();
      writes += u.writes();
      reads += u.reads();
      lists += u.lists();
      deletes += u.deletes();
      egress += u.egressBytes();
      replicated += u.replicatedBytes();
    }
    long windowHours = Math.max(1, Duration.between(from.atStartOfDay(), to.plusDays(1).atStartOfDay()).toHours());
    BigDecimal scale = Pricing.HOURS_PER_MONTH.divide(BigDecimal.valueOf(windowHours), Pricing.MATH);
    List<Comparison.Option> options = new ArrayList<>();
    for (PriceRow row : ledger.pricing().catalog().rows()) {
      BigDecimal sum = BigDecimal.ZERO;
      for (BigDecimal c : Pricing.costs(row, byteSeconds, writes, reads, lists, deletes, egress, replicated)) {
        sum = sum.add(c, Pricing.MATH);
      }
      options.add(new Comparison.Option(row.cloud(), row.region(), row.storageClass(),
          sum.multiply(scale, Pricing.MATH), row.source(), row.date()));
    }
    options.sort(Comparator.comparing(Comparison.Option::monthly));
    BigDecimal current = ledger.total(tenant, from, to).multiply(scale, Pricing.MATH);
    return new Comparison(tenant, from, to, ledger.currency(), current, List.copyOf(options),
        recommendations(tenant, objects));
  }

  private List<Comparison.Recommendation> recommendations(String tenant, List<TrackedObject> objects) {
    long now = clock.millis();
    List<Comparison.Recommendation> out = new ArrayList<>();
    for (var rule : List.of(Map.entry(30, INFREQUENT), Map.entry(90, ARCHIVE))) {
      long cutoff = now - Duration.ofDays(rule.getKey()).toMillis();
      Map<String, long[]> byStore = new LinkedHashMap<>();
      for (TrackedObject o : objects) {
        if (o.tenant().equals(tenant) && o.dataClass().equals("artifacts") && o.sinceMillis() <= cutoff) {
          long[] acc = byStore.computeIfAbsent(o.store(), s -> new long[2]);
          acc[0]++;
          acc[1] += o.size();
        }
      }
      for (var e : byStore.entrySet()) {
        StoreBinding b = ledger.pricing().binding(e.getKey());
        String target = rule.getValue().get(b.cloud());
        if (target == null || target.equals(b.storageClass())) {
          continue;
        }
        PriceRow now0 = ledger.pricing().row(b);
        var to = ledger.pricing().catalog().find(b.cloud(), target, b.region());
        if (to.isEmpty()) {
          continue;
        }
        BigDecimal gb = BigDecimal.valueOf(e.getValue()[1]).divide(Pricing.GB, Pricing.MATH);
        BigDecimal saving = gb.multiply(now0.storageGbMonth().subtract(to.get().storageGbMonth()), Pricing.MATH);
        if (saving.signum() <= 0) {
          continue;
        }
        String text = "move " + e.getValue()[0] + " artifacts (" + e.getValue()[1] + " bytes) older than "
            + rule.getKey() + " days on store " + e.getKey() + " from " + b.storageClass() + " to " + target
            + ": saves " + CostReport.display(saving) + " " + ledger.currency() + " per month (reading them back costs "
            + to.get().retrievalGb().toPlainString() + " per GB)";
        out.add(new Comparison.Recommendation(e.getKey(), "artifacts", rule.getKey(), e.getValue()[0],
            e.getValue()[1], b.storageClass(), target, saving, to.get().retrievalGb(), text));
      }
    }
    out.sort(Comparator.comparing(Comparison.Recommendation::monthlySaving).reversed());
    return List.copyOf(out);
  }
}
