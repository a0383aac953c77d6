package io.grey.core.store;

import io.grey.core.config.ConfigSection;

/**
 * A backend module's entry point, found by {@link java.util.ServiceLoader} (each module lists its provider in
 * {@code META-INF/services/io.grey.core.store.BlobStoreProvider}), so that grey-core and the server need no
 * backend's SDK and a missing module shows as "provider 's3' not available: add grey-store-s3". Use it through
 * {@link BlobStores}. Implementations are stateless and thread-safe.
 */
public interface BlobStoreProvider {
  /**
   * The value of {@code storage.backend} that selects this provider: {@code local}, {@code s3}, {@code azure} or
   * {@code gcs}.
   */
  String kind();

  /**
   * The config section this provider reads: the top-level section it owns ({@code aws}, {@code azure},
   * {@code gcp}), or {@code storage} for the local store, whose {@code storage.local} keys grey-core reads itself.
   */
  String section();

  /**
   * Checks {@code section} (the one named by {@link #section()}; empty when the file has none) and says what would
   * be opened and which credential source would be used, without contacting any service.
   *
   * @throws io.grey.core.ConfigException naming file, line and key path when a key is unknown, unsupported or
   *     invalid
   */
  StoreDescription describe(ConfigSection section, StoreContext context);

  /**
   * Opens the store {@code section} configures. The store is the bare backend: callers stack layers (retry,
   * metrics, tracing, audit) on it, and close it.
   *
   * @throws io.grey.core.ConfigException as {@link #describe}
   * @throws io.grey.core.StoreUnavailableException if the service cannot be reached where opening needs it
   * @throws io.grey.core.AccessDeniedException if the service refuses the credentials where opening needs it
   */
  BlobStore open(ConfigSection section, StoreContext context);
}
