package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.testkit.FaultyStore;
import io.grey.testkit.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication and store metrics as Prometheus scrapes them, and the lag tolerance check. */
class MetricsTest {
  private static final List<String> NAMES = List.of("local", "edge-a");

  @TempDir Path scratch;

  @Test
  void aStoppedTargetShowsLagQueueDepthDownStateAndTurnsDegradedPastItsTolerance() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Map<String, BlobStore> stores = new LinkedHashMap<>(LocalStores.open(scratch, NAMES));
    FaultyStore edge = FaultyStore.wrap(stores.get("edge-a"));
    stores.put("edge-a", edge);
    MultiCloudConfig config = LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC);
    config = config.withRouting(config.routing().withHysteresis(1, 1));
    try (MultiCloudStore multi = MultiCloudStore.create(config, stores, scratch.resolve("data"), clock, registry,
        false)) {
      for (FaultyStore.Operation op : FaultyStore.Operation.values()) {
        edge.failNext(op, 10_000, () -> new StoreUnavailableException("stopped"));
      }
      multi.monitor().probeAll();
      for (int i = 0; i < 3; i++) {
        multi.put(ObjectKey.of("artifacts/acme/t/m-" + i), new ByteArrayInputStream(new byte[] {1}),
            PutOptions.ofLength(1));
      }
      clock.advance(Duration.ofMinutes(6));
      multi.monitor().checkLag();
      String scrape = registry.scrape();
      assertThat(scrape).as("queue depth of the stopped target")
          .contains("grey_replication_queue_depth{target=\"edge-a\"} 3.0");
      assertThat(scrape).as("lag of the stopped target: six minutes")
          .contains("grey_replication_lag_seconds{target=\"edge-a\"} 360.0");
      assertThat(scrape).as("no dead letters").contains("grey_replication_dead_letters{target=\"edge-a\"} 0.0");
      assertThat(scrape).as("edge-a is down").contains("grey_store_up{store=\"edge-a\"} 0.0");
      assertThat(scrape).as("local is up").contains("grey_store_up{store=\"local\"} 1.0");
      assertThat(scrape).as("probe timer with its median").contains("grey_store_probe_seconds{store=\"local\",quantile=\"0.5\"}");
      assertThat(scrape).as("probe timer with its 99th percentile")
          .contains("grey_store_probe_seconds{store=\"local\",quantile=\"0.99\"}");
      assertThat(scrape).as("errors of the stopped store counted").containsPattern(
          "grey_store_errors_total\\{store=\"edge-a\"} [1-9]");
      assertThat(scrape).as("the lag event is counted").contains(
          "grey_replication_lag_exceeded_total{data_class=\"artifacts\",target=\"edge-a\"} 1.0");
      assertThat(multi.health("edge-a").degraded()).as("edge-a is degraded past the 5m tolerance").isTrue();
      assertThat(multi.storesStatus()).as("stores status lists both stores").hasSize(2);
    }
  }
}
