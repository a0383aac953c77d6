package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStores;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.StoreContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store opened through the ServiceLoader from a config file reaches the bucket the file names. */
class S3StoreProviderTest {
  private static S3ProxyServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.startInMemory();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void theConfiguredBucketHoldsWhatTheOpenedStoreWrites() throws Exception {
    String bucket = server.newBucket();
    GreyConfig config = ConfigLoader.parse("""
        storage:
          backend: s3
        aws:
          region: us-east-1
          credentials:
            access_key_id: ${KEY}
            secret_access_key: ${SECRET}
          s3:
            bucket: %s
            prefix: grey/
            endpoint: %s
            force_path_style: true
            tags: false
        """.formatted(bucket, server.endpoint()), "grey.yaml",
        Map.of("KEY", S3ProxyServer.ACCESS_KEY, "SECRET", S3ProxyServer.SECRET_KEY), dir);
    ObjectKey key = ObjectKey.of("state/acme/counter");
    try (BlobStore store = BlobStores.open(config.storage().backend(), StoreContext.of(config, Map.of()))) {
      store.put(key, new ByteArrayInputStream("42".getBytes(StandardCharsets.UTF_8)), PutOptions.defaults());
      assertThat(new String(store.get(key, ReadRange.all()).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("42");
      assertThat(store.capabilities().tags()).as("aws.s3.tags: false turns the capability off").isFalse();
    }
    assertThat(server.admin().headObject(b -> b.bucket(bucket).key("grey/state/acme/counter")).contentLength())
        .as("the object sits under aws.s3.prefix in aws.s3.bucket").isEqualTo(2L);
  }
}
