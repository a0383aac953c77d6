package io.grey.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code storage.encryption:} section: client-side envelope encryption of every object body before it reaches
 * the store (see {@code io.grey.core.crypto.EncryptionLayer}). Immutable.
 *
 * @param enabled whether the server encrypts ({@code enabled}, default {@code false}); objects written while it was
 *     off stay plaintext and are refused by an encrypting server, so turn it on for a new store
 * @param keyring the local keyring file of key-encryption keys ({@code keyring}, default
 *     {@code <data_dir>/keyring}); created with one key, permissions 0600, on the first encrypting start, and
 *     refused when group or others may read or write it
 */
public record EncryptionConfig(boolean enabled, Path keyring) {
  /** The keyring's file name under the data directory. */
  public static final String DEFAULT_KEYRING_FILE = "keyring";

  public EncryptionConfig {
    Objects.requireNonNull(keyring, "keyring");
  }

  /** The default: off, with the keyring at {@code <dataDir>/keyring}. */
  public static EncryptionConfig under(Path dataDir) {
    return new EncryptionConfig(false, dataDir.resolve(DEFAULT_KEYRING_FILE));
  }

  /** This config switched on or off, keeping the keyring. */
  public EncryptionConfig withEnabled(boolean on) {
    return new EncryptionConfig(on, keyring);
  }

  static EncryptionConfig read(ConfigSection s, Path dataDir) {
    boolean enabled = s.bool("enabled", false);
    Path keyring = s.path("keyring", under(dataDir).keyring());
    return s.build(() -> new EncryptionConfig(enabled, keyring));
  }
}
