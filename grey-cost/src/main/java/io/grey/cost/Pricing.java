package io.grey.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns hourly usage into money with a catalog and the store bindings. Exact to 34 significant digits
 * ({@link MathContext#DECIMAL128}); nothing is rounded here.
 */
final class Pricing {
  static final MathContext MATH = MathContext.DECIMAL128;
  /** Bytes in a GB as the clouds bill storage and transfer: 2^30. */
  static final BigDecimal GB = BigDecimal.valueOf(1L << 30);
  /** Hours in a billing month. */
  static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
  static final BigDecimal BYTE_SECONDS_PER_GB_MONTH =
      GB.multiply(HOURS_PER_MONTH).multiply(BigDecimal.valueOf(3600));
  static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  static final String STORAGE = "storage";
  static final String REQUESTS = "requests";
  static final String EGRESS = "egress";
  static final String RETRIEVAL = "retrieval";
  static final String REPLICATION = "replication";
  static final List<String> SERVICES = List.of(STORAGE, REQUESTS, EGRESS, RETRIEVAL, REPLICATION);

  private final PriceCatalog catalog;
  private final Map<String, StoreBinding> bindings;
  private final StoreBinding fallback;

  Pricing(PriceCatalog catalog, List<StoreBinding> bindings, StoreBinding fallback) {
    this.catalog = catalog;
    this.bindings = new java.util.HashMap<>();
    for (StoreBinding b : bindings) {
      this.bindings.put(b.store(), b);
    }
    this.fallback = fallback;
  }

  StoreBinding binding(String store) {
    StoreBinding b = bindings.get(store);
    return b != null ? b : new StoreBinding(store, fallback.cloud(), fallback.region(), fallback.storageClass());
  }

  PriceRow row(StoreBinding b) {
    return catalog.find(b.cloud(), b.storageClass(), b.region()).orElseThrow(() -> new io.grey.core.ConfigException(
        "cost: store '" + b.store() + "' is priced as " + b.cloud() + "/" + b.storageClass()
            + ", which the price catalog does not have (add it with cost.prices)"));
  }

  PriceCatalog catalog() {
    return catalog;
  }

  /** The non-zero cost lines of {@code rows}. */
  List<CostLine> lines(List<UsageRow> rows) {
    List<CostLine> out = new ArrayList<>();
    for (UsageRow u : rows) {
      StoreBinding b = binding(u.store());
      PriceRow p = row(b);
      LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(u.hour() * 3600), ZoneOffset.UTC);
      BigDecimal[] amounts = costs(p, u.byteSeconds(), u.writes(), u.reads(), u.lists(), u.deletes(),
          u.egressBytes(), u.replicatedBytes());
      for (int i = 0; i < SERVICES.size(); i++) {
        if (amounts[i].signum() != 0) {
          out.add(new CostLine(b.cloud(), u.tenant(), u.task(), u.store(), SERVICES.get(i), day, amounts[i]));
        }
      }
    }
    return out;
  }

  /** Storage, requests, egress, retrieval and replication cost of these quantities at {@code p}'s prices. */
  static BigDecimal[] costs(PriceRow p, long byteSeconds, long writes, long reads, long lists, long deletes,
                            long egressBytes, long replicatedBytes) {
    BigDecimal storage = BigDecimal.valueOf(byteSeconds).multiply(p.storageGbMonth(), MATH)
        .divide(BYTE_SECONDS_PER_GB_MONTH, MATH);
    BigDecimal requests = BigDecimal.valueOf(writes).multiply(p.writePer1000())
        .add(BigDecimal.valueOf(reads).multiply(p.readPer1000()))
        .add(BigDecimal.valueOf(lists).multiply(p.listPer1000()))
        .add(BigDecimal.valueOf(deletes).multiply(p.deletePer1000()))
        .divide(THOUSAND, MATH);
    BigDecimal egressGb = BigDecimal.valueOf(egressBytes).divide(GB, MATH);
    BigDecimal egress = egressGb.multiply(p.egressGb(), MATH);
    BigDecimal retrieval = egressGb.multiply(p.retrievalGb(), MATH);
    BigDecimal replication = BigDecimal.valueOf(replicatedBytes).divide(GB, MATH).multiply(p.interCloudGb(), MATH);
    return new BigDecimal[] {storage, requests, egress, retrieval, replication};
  }
}
