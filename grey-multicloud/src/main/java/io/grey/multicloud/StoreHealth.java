package io.grey.multicloud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The health of one named store as this node sees it: up or down with hysteresis ({@code downAfter} consecutive
 * failures mark it down, {@code upAfter} consecutive successes mark it up again), a smoothed latency of its recent
 * calls for latency-based routing, and the metrics {@code grey_store_up}, {@code grey_store_probe_seconds} and
 * {@code grey_store_errors_total}. A store starts up. Thread-safe.
 */
public final class StoreHealth {
  private final String store;
  private final int downAfter;
  private final int upAfter;
  private final Timer probes;
  private final Counter errors;
  private boolean up = true;
  private boolean degraded;
  private int failures;
  private int successes;
  private long calls;
  private long failedCalls;
  private double latencyNanos = Double.NaN;

  StoreHealth(String store, int downAfter, int upAfter, MeterRegistry registry) {
    this.store = store;
    this.downAfter = downAfter;
    this.upAfter = upAfter;
    this.probes = Timer.builder("grey.store.probe").description("Health probes of a store (write, read, delete)")
        .tag("store", store).publishPercentiles(0.5, 0.99).register(registry);
    this.errors = Counter.builder("grey.store.errors").description("Failed calls and probes of a store")
        .tag("store", store).register(registry);
    Gauge.builder("grey.store.up", this, h -> h.up() ? 1 : 0).description("1 when the store is up, 0 when down")
        .tag("store", store).register(registry);
  }

  /** The store's name. */
  public String store() {
    return store;
  }

  /** Whether the store is taking calls. */
  public synchronized boolean up() {
    return up;
  }

  /** Whether a replication target lags behind its tolerance (it is up but not current). */
  public synchronized boolean degraded() {
    return degraded;
  }

  synchronized void degraded(boolean on) {
    degraded = on;
  }

  /** Records a probe that took {@code elapsed}; returns whether the up/down state changed. */
  boolean probed(boolean ok, Duration elapsed) {
    probes.record(elapsed);
    return outcome(ok, elapsed);
  }

  /** Records a real call's outcome; returns whether the up/down state changed. */
  synchronized boolean outcome(boolean ok, Duration elapsed) {
    calls++;
    boolean before = up;
    if (ok) {
      failures = 0;
      successes++;
      double nanos = elapsed.toNanos();
      latencyNanos = Double.isNaN(latencyNanos) ? nanos : latencyNanos * 0.8 + nanos * 0.2;
      if (!up && successes >= upAfter) {
        up = true;
      }
    } else {
      failedCalls++;
      errors.increment();
      successes = 0;
      failures++;
      if (up && failures >= downAfter) {
        up = false;
      }
    }
    return before != up;
  }

  /** Marks the store down at once (for example after a timeout that proves it hangs). */
  synchronized boolean markDown() {
    boolean changed = up;
    up = false;
    successes = 0;
    return changed;
  }

  /** The smoothed latency of recent successful calls, or empty before the first one. */
  public synchronized java.util.Optional<Duration> latency() {
    return Double.isNaN(latencyNanos) ? java.util.Optional.empty()
        : java.util.Optional.of(Duration.ofNanos((long) latencyNanos));
  }

  /**
   * A snapshot for status output.
   *
   * @param store the store
   * @param up up or down
   * @param degraded whether it lags beyond its tolerance
   * @param probeP50 the median probe time
   * @param probeP99 the 99th percentile probe time
   * @param probes how many probes ran
   * @param errorRate failed calls and probes over all of them since start
   */
  public record Snapshot(String store, boolean up, boolean degraded, Duration probeP50, Duration probeP99,
                         long probes, double errorRate) {}

  /** The current state and probe statistics. */
  public synchronized Snapshot snapshot() {
    Duration p50 = Duration.ZERO;
    Duration p99 = Duration.ZERO;
    for (ValueAtPercentile v : probes.takeSnapshot().percentileValues()) {
      Duration d = Duration.ofNanos((long) v.value(TimeUnit.NANOSECONDS));
      if (v.percentile() == 0.5) {
        p50 = d;
      } else if (v.percentile() == 0.99) {
        p99 = d;
      }
    }
    return new Snapshot(store, up, degraded, p50, p99, probes.count(),
        calls == 0 ? 0 : (double) failedCalls / calls);
  }
}
