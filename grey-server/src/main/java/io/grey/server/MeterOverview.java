package io.grey.server;

import io.grey.core.layer.MetricsLayer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * An overview whose store rows are read from the meters in the node's registry: latency percentiles from the
 * {@link MetricsLayer} call-duration histogram of each store (all operations and tenants together, since the
 * node started, interpolated within a bucket the way Prometheus's {@code histogram_quantile} does), the error
 * rate as the layer's failed calls (outcomes such as not_found left out) over its calls, and the status from the {@value #STORE_UP} gauge of the health
 * probes when one is registered. Replication and tenant rows come from {@link OverviewSource.Parts}.
 * Thread-safe.
 */
final class MeterOverview implements OverviewSource {
  /** The health probes' gauge: 1 when the store answers, 0 when not (Prometheus {@code grey_store_up}). */
  static final String STORE_UP = "grey.store.up";
  /**
   * Error codes that are the caller's outcome rather than a failure of the store (an absent object, a failed
   * condition, a bad range or key); the error rate leaves them out, as the alert of the same name does.
   */
  static final Set<String> OUTCOME_CODES =
      Set.of("not_found", "precondition_failed", "range_not_satisfiable", "invalid_key", "invalid_request");

  private final MeterRegistry registry;
  private final List<String> stores;
  private final Parts parts;

  /** An overview of {@code stores} (their MetricsLayer cloud tags) from {@code registry}, with {@code parts}. */
  MeterOverview(MeterRegistry registry, List<String> stores, Parts parts) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.stores = List.copyOf(stores);
    this.parts = Objects.requireNonNull(parts, "parts");
  }

  @Override
  public List<StoreRow> stores() {
    return stores.stream().map(this::store).toList();
  }

  @Override
  public List<ReplicationRow> replication() {
    return List.copyOf(parts.replication().get());
  }

  @Override
  public List<TenantRow> tenants() {
    return List.copyOf(parts.tenants().get());
  }

  private StoreRow store(String name) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    long calls = 0;
    for (Timer timer : registry.find(MetricsLayer.DURATION).tag("cloud", name).timers()) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      calls += snapshot.count();
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        buckets.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
      }
    }
    double errors = registry.find(MetricsLayer.ERRORS).tag("cloud", name).counters().stream()
        .filter(counter -> !OUTCOME_CODES.contains(counter.getId().getTag("error")))
        .mapToDouble(Counter::count).sum();
    OptionalDouble errorRate = calls == 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1, errors / calls));
    return new StoreRow(name, status(name), quantile(0.5, buckets, calls), quantile(0.99, buckets, calls),
        errorRate);
  }

  private String status(String name) {
    Gauge up = registry.find(STORE_UP).tag("store", name).gauge();
    if (up == null || Double.isNaN(up.value())) {
      return "unknown";
    }
    return up.value() >= 1 ? "up" : "down";
  }

  /**
   * The {@code q} quantile of {@code total} observations counted in cumulative {@code buckets} (upper bound in
   * ms to count at or below it): linear within the bucket holding the rank, the lowest bucket starting at 0, and
   * the highest finite bound for a rank beyond every bucket, as {@code histogram_quantile} answers.
   */
  static OptionalDouble quantile(double q, TreeMap<Double, Double> buckets, long total) {
    if (total == 0 || buckets.isEmpty()) {
      return OptionalDouble.empty();
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (var bucket : buckets.entrySet()) {
      double upperBound = bucket.getKey();
      double count = bucket.getValue();
      if (count >= rank) {
        double inBucket = count - lowerCount;
        double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
        return OptionalDouble.of(lowerBound + (upperBound - lowerBound) * fraction);
      }
      lowerBound = upperBound;
      lowerCount = count;
    }
    return OptionalDouble.of(buckets.lastKey());
  }
}
