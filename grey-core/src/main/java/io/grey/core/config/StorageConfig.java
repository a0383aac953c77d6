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
 * @param encryption client-side encryption of the server's store ({@code encryption}; default off)
 */
public record StorageConfig(String backend, LocalStorageConfig local, EncryptionConfig encryption) {
  /** The default {@code storage.backend}. */
  public static final String DEFAULT_BACKEND = "local";
  /** The values {@code storage.backend} accepts. */
  public static final List<String> BACKENDS = List.of("local", "s3", "azure", "gcs");

  public StorageConfig {
    backend("storage.backend", backend);
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(encryption, "encryption");
  }

  /**
   * {@code backend} and the local store at {@code local}, encryption off with its keyring beside the local root
   * (so at {@code <data_dir>/keyring} for the default root {@code <data_dir>/objects}).
   */
  public StorageConfig(String backend, LocalStorageConfig local) {
    this(backend, local, EncryptionConfig.under(besideRoot(local)));
  }

  private static Path besideRoot(LocalStorageConfig local) {
    Path root = local.root().toAbsolutePath().normalize();
    return root.getParent() == null ? root : root.getParent();
  }

  /** The local store at {@code local} as the backend, encryption off. */
  public StorageConfig(LocalStorageConfig local) {
    this(DEFAULT_BACKEND, local);
  }

  /** The default: a local store under {@code dataDir}, encryption off with the keyring under it. */
  public static StorageConfig under(Path dataDir) {
    return new StorageConfig(DEFAULT_BACKEND, LocalStorageConfig.under(dataDir), EncryptionConfig.under(dataDir));
  }

  /** This config with the server's store chosen by {@code newBackend}. */
  public StorageConfig withBackend(String newBackend) {
    return new StorageConfig(newBackend, local, encryption);
  }

  /** This config with the local store at {@code newLocal}. */
  public StorageConfig withLocal(LocalStorageConfig newLocal) {
    return new StorageConfig(backend, newLocal, encryption);
  }

  /** This config with {@code newEncryption}. */
  public StorageConfig withEncryption(EncryptionConfig newEncryption) {
    return new StorageConfig(backend, local, newEncryption);
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
    EncryptionConfig encryption =
        s.section("encryption", e -> EncryptionConfig.read(e, dataDir), EncryptionConfig.under(dataDir));
    return s.build(() -> new StorageConfig(backend, local, encryption));
  }
}
