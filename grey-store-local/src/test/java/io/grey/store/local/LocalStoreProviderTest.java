package io.grey.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStores;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreProviderTest {
  @TempDir
  Path dir;

  private GreyConfig config() {
    return ConfigLoader.parse("server:\n  data_dir: data\nstorage:\n  local:\n    root: objects\n", "grey.yaml",
        Map.of(), dir);
  }

  @Test
  void theLocalKindIsFoundThroughTheServiceLoader() {
    assertThat(BlobStores.provider("local")).as("grey-store-local registers its provider")
        .isInstanceOf(LocalStoreProvider.class);
  }

  @Test
  void theOpenedStoreKeepsObjectsUnderTheConfiguredRoot() throws Exception {
    StoreContext context = new StoreContext(config(), URI.create("http://127.0.0.1:9"), Clock.systemUTC(), Map.of());
    ObjectKey key = ObjectKey.of("state/acme/counter");
    try (BlobStore store = BlobStores.open("local", context)) {
      store.put(key, new ByteArrayInputStream("7".getBytes(StandardCharsets.UTF_8)), PutOptions.defaults());
      assertThat(new String(store.get(key, ReadRange.all()).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("7");
      assertThat(store.name()).isEqualTo("local");
    }
    assertThat(Files.isDirectory(dir.resolve("objects"))).as("objects live under storage.local.root").isTrue();
  }

  @Test
  void presignedUrlsAreSignedWithTheSecretTheServerChecks() throws Exception {
    StoreContext context = new StoreContext(config(), URI.create("http://grey.example:8080"), Clock.systemUTC(),
        Map.of());
    ObjectKey key = ObjectKey.of("state/acme/file");
    try (BlobStore store = BlobStores.open("local", context)) {
      store.put(key, new ByteArrayInputStream(new byte[] {1}), PutOptions.defaults());
      URI url = store.presign(key, PresignRequest.get(Duration.ofMinutes(5)));
      assertThat(url.toString()).startsWith("http://grey.example:8080/v1/presigned/");
      LocalPresigner server = LocalPresigner.loadOrCreate(dir.resolve("data").resolve(LocalPresigner.SECRET_FILE),
          URI.create("http://grey.example:8080"), Clock.systemUTC());
      Map<String, String> query = new HashMap<>();
      for (String pair : url.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
      assertThatCode(() -> server.verify("GET", key, query.get("expires"), query.get("signature")))
          .as("the server's presigner, loaded from <data_dir>/presign.key, accepts the URL").doesNotThrowAnyException();
    }
  }

  @Test
  void theDescriptionNamesTheDirectoryAndNoCredentials() {
    StoreDescription description = BlobStores.describe("local", StoreContext.of(config(), Map.of()));
    assertThat(description.target()).contains(dir.resolve("objects").toString());
    assertThat(description.credentials()).isEqualTo("none (local files)");
  }
}
