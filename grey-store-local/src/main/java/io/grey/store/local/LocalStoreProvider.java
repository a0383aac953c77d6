package io.grey.store.local;

import io.grey.core.config.ConfigSection;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStoreProvider;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import java.nio.file.Path;

/**
 * The {@code local} backend for {@link io.grey.core.store.BlobStores}: a {@link LocalStore} at
 * {@code storage.local.root} (read by grey-core), named {@code local}, presigning HMAC URLs under the node's
 * public base URL with the secret in {@code <data_dir>/presign.key} (created 0600 on first use), which the server
 * checks with the same file. Stateless and thread-safe.
 */
public final class LocalStoreProvider implements BlobStoreProvider {
  /** The name the local store reports in metrics, logs and errors. */
  public static final String NAME = "local";

  /** Used by {@link java.util.ServiceLoader}. */
  public LocalStoreProvider() {}

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public String section() {
    return "storage";
  }

  @Override
  public StoreDescription describe(ConfigSection section, StoreContext context) {
    Path root = context.config().storage().local().root();
    return new StoreDescription(kind(), "storage.local", "directory " + root
        + ", presigned URLs under " + context.publicBaseUrl(), "none (local files)");
  }

  @Override
  public BlobStore open(ConfigSection section, StoreContext context) {
    LocalPresigner presigner = LocalPresigner.loadOrCreate(
        context.dataDir().resolve(LocalPresigner.SECRET_FILE), context.publicBaseUrl(), context.clock());
    return LocalStore.open(LocalStoreOptions.of(context.config().storage().local().root())
        .withName(NAME)
        .withClock(context.clock())
        .withPresigner(presigner));
  }
}
