package io.grey.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code storage:} section: which stores Grey writes to. Immutable.
 *
 * @param local the local directory store ({@code local})
 */
public record StorageConfig(LocalStorageConfig local) {
  public StorageConfig {
    Objects.requireNonNull(local, "local");
  }

  /** The default: a local store under {@code dataDir}. */
  public static StorageConfig under(Path dataDir) {
    return new StorageConfig(LocalStorageConfig.under(dataDir));
  }

  static StorageConfig read(ConfigSection s, Path dataDir) {
    LocalStorageConfig local =
        s.section("local", l -> LocalStorageConfig.read(l, dataDir), LocalStorageConfig.under(dataDir));
    return s.build(() -> new StorageConfig(local));
  }
}
