package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.PutOptions;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's store stack when multi_cloud names two stores: per-store metrics and retry under the multi store. */
class MultiCloudStackTest {
  @TempDir Path work;

  @Test
  void aSyncPutThroughTheServerStackIsOnBothStoresAndEachStoreIsMeasured() throws Exception {
    Path file = Files.writeString(work.resolve("grey.yaml"), """
        server:
          data_dir: %s
        storage:
          local:
            root: %s
        multi_cloud:
          primary: local
          secondary: edge-a
          stores:
            edge-a: {backend: local, root: %s}
          replication:
            artifacts: {strategy: sync}
        """.formatted(work.resolve("data"), work.resolve("primary"), work.resolve("edge-a")));
    GreyConfig config = ConfigLoader.load(file, Map.of());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ObjectKey key = ObjectKey.of("artifacts/acme/t1/served.bin");
    byte[] body = "served by two stores".getBytes(StandardCharsets.UTF_8);
    try (StoreStack stack = GreyServer.openStack(config, URI.create("http://127.0.0.1:8080"), registry,
        Clock.systemUTC())) {
      stack.store().put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
      assertThat(stack.store().get(key).readAllBytes()).as("read back through the stack").isEqualTo(body);
      assertThat(Files.exists(work.resolve("data").resolve(io.grey.multicloud.Outbox.FILE)))
          .as("the outbox lives in the data directory").isTrue();
      String scrape = registry.scrape();
      assertThat(scrape).as("each store has its own metrics").contains("\"edge-a\"").contains("\"local\"");
      assertThat(scrape).as("the multi-cloud store's gauges are published")
          .contains("grey_replication_queue_depth{target=\"edge-a\"}");
    }
    try (LocalStore edge = LocalStore.open(LocalStoreOptions.of(work.resolve("edge-a")))) {
      assertThat(edge.get(key).readAllBytes()).as("the sync replica holds the body").isEqualTo(body);
    }
  }
}
