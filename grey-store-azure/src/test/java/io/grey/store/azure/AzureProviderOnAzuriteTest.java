package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStores;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.StoreContext;
import io.grey.testkit.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file's azure section, opened through the provider SPI as the server opens it, serves Azurite. */
class AzureProviderOnAzuriteTest {
  private static AzuriteServer azurite;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stop() {
    azurite.close();
  }

  @Test
  void theStoreTheConfigFileNamesIsOpenedThroughBlobStoresAndRoundTripsAnObject() throws Exception {
    GreyConfig config = ConfigLoader.parse("""
        storage:
          backend: azure
        azure:
          blob_storage:
            account_name: %s
            account_key: ${AZURE_STORAGE_KEY}
            endpoint: %s
            artifacts_container: provider-artifacts
            proofs_container: provider-proofs
            state_container: provider-state
        """.formatted(AzuriteServer.ACCOUNT, azurite.endpoint()), "grey.yaml",
        Map.of("AZURE_STORAGE_KEY", AzuriteServer.KEY), dir);
    ObjectKey key = ObjectKey.of("artifacts/acme/t1/through-the-provider.txt");
    byte[] body = "opened by storage.backend: azure".getBytes(StandardCharsets.UTF_8);

    try (BlobStore store = BlobStores.open(config.storage().backend(), StoreContext.of(config, Map.of()))) {
      ObjectInfo written = store.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
      try (ObjectContent content = store.get(key)) {
        assertThat(content.stream().readAllBytes()).as("the body read back").isEqualTo(body);
      }
      assertThat(store.head(key)).as("what the put returned").contains(written);
    }
  }
}
