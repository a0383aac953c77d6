package io.grey.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code storage:} section: which store the server writes to. Immutable.
 *
 * @param backend the kind of store the server opens ({@code backend}: {@code local}, {@code s3}, {@code azure} or
 *     {@code gcs}; default {@code local}); every kind but {@code local} reads its own section ({@code aws},
 *     {@code azure}, {@code gcp}) and needs its module on the class path
 * @param local the local directory store ({@code local})
 */
public record StorageConfig(String backend, LocalStorageConfig local) {
  /** The default {@code storage.backend}. */
  public static final String DEFAULT_BACKEND = "local";
  /** The values {@code storage.backend} accepts. */
  public static final List<String> BACKENDS = List.of("local", "s3", "azure", "gcs");

  public StorageConfig {
    backend("storage.backend", backend);
    Objects.requireNonNull(local, "local");
  }

  /** The local store at {@code local} as the backend. */
  public StorageConfig(LocalStorageConfig local) {
    this(DEFAULT_BACKEND, local);
  }

  /** The default: a local store under {@code dataDir}. */
  public static StorageConfig under(Path dataDir) {
    return new StorageConfig(LocalStorageConfig.under(dataDir));
  }

  /** This config with the server's store chosen by {@code newBackend}. */
  public StorageConfig withBackend(String newBackend) {
    return new StorageConfig(newBackend, local);
  }

  /** This config with the local store at {@code newLocal}. */
  public StorageConfig withLocal(LocalStorageConfig newLocal) {
    return new StorageConfig(backend, newLocal);
  }

  static void backend(String path, String value) {
    Check.nonEmpty(path, value);
    if (!BACKENDS.contains(value)) {
      throw Check.fail(path, "'" + value + "' must be one of " + String.join(", ", BACKENDS));
    }
  }

  static StorageConfig read(ConfigSection s, Path dataDir) {
    String backend = s.string("backend", DEFAULT_BACKEND, StorageConfig::backend);
    LocalStorageConfig local =
        s.section("local", l -> LocalStorageConfig.read(l, dataDir), LocalStorageConfig.under(dataDir));
    return s.build(() -> new StorageConfig(backend, local));
  }
}
