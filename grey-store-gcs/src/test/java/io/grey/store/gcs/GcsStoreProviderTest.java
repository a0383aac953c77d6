package io.grey.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStores;
import io.grey.core.store.PutOptions;
import io.grey.core.store.StoreContext;
import io.grey.testkit.GcsEmulator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store opened through the ServiceLoader from a config file reaches the bucket and prefix the file names. */
class GcsStoreProviderTest {
  @TempDir
  Path dir;

  @Test
  void theConfiguredBucketHoldsWhatTheOpenedStoreWritesUnderThePrefix() {
    try (GcsEmulator emulator = GcsEmulator.start()) {
      String bucket = emulator.newBucket();
      Path key = emulator.writeServiceAccountKey(dir.resolve("sa.json"));
      GreyConfig config = ConfigLoader.parse("""
          storage:
            backend: gcs
          gcp:
            project_id: grey-emulated
            credentials:
              service_account_key: %s
            storage:
              bucket: %s
              prefix: grey/
              endpoint: %s
              storage_class: COLDLINE
          """.formatted(key, bucket, emulator.endpoint()), "grey.yaml", Map.of(), dir);
      ObjectKey k = ObjectKey.of("state/acme/counter");
      try (BlobStore store = BlobStores.open(config.storage().backend(), StoreContext.of(config, Map.of()))) {
        store.put(k, new ByteArrayInputStream("42".getBytes(StandardCharsets.UTF_8)), PutOptions.defaults());
        assertThat(new String(store.get(k).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("42");
        assertThat(store.capabilities().presign()).as("a service-account key can sign").isTrue();
      }
      var resource = emulator.objectResource(bucket, "grey/state/acme/counter").orElseThrow();
      assertThat(resource.path("size").asText()).as("the object sits under gcp.storage.prefix").isEqualTo("2");
      assertThat(resource.path("storageClass").asText()).as("written in gcp.storage.storage_class")
          .isEqualTo("COLDLINE");
    }
  }
}
