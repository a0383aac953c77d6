package io.grey.core.crypto;

/**
 * The source of key-encryption keys (KEKs) for {@link EncryptionLayer}: it names the current KEK and wraps and
 * unwraps per-object data keys under a KEK given by id. The KEK itself never leaves the provider, so a provider
 * can equally be a local keyring or a remote key management service. Implementations are thread-safe.
 */
public interface KeyProvider {

  /** The id of the KEK new objects are wrapped under; stable until the provider rotates. */
  String currentKeyId();

  /**
   * Encrypts {@code dataKey} (a raw 256-bit AES key) under the KEK {@code keyId}.
   *
   * @return the wrapped key, at most 255 bytes
   * @throws io.grey.core.ConfigException naming the key id if the provider holds no such KEK
   */
  byte[] wrap(String keyId, byte[] dataKey);

  /**
   * Recovers a data key that {@link #wrap} produced under {@code keyId}.
   *
   * @throws io.grey.core.ConfigException naming the key id (never the key) if the provider holds no such KEK,
   *     or if {@code wrapped} does not unwrap under it
   */
  byte[] unwrap(String keyId, byte[] wrapped);
}
