package io.grey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code storage.encryption} section: off by default, keyring under the data directory. */
class EncryptionConfigTest {
  @TempDir
  Path dir;

  private GreyConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dir);
  }

  @Test
  void encryptionIsOffByDefaultWithTheKeyringUnderTheDataDir() {
    EncryptionConfig encryption = parse("server:\n  data_dir: data\n").storage().encryption();
    assertThat(encryption.enabled()).as("storage.encryption.enabled defaults to false").isFalse();
    assertThat(encryption.keyring()).isEqualTo(dir.resolve("data/keyring"));
  }

  @Test
  void enabledAndKeyringAreReadWithRelativePathsAgainstTheFile() {
    EncryptionConfig encryption = parse("""
        storage:
          encryption:
            enabled: true
            keyring: secrets/grey.keyring
        """).storage().encryption();
    assertThat(encryption).isEqualTo(new EncryptionConfig(true, dir.resolve("secrets/grey.keyring")));
  }

  @Test
  void anUnknownKeyInTheSectionIsRefusedAtItsLine() {
    assertThatThrownBy(() -> parse("""
        storage:
          encryption:
            enabled: true
            kms_key_id: alias/grey
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:5: unknown key 'storage.encryption.kms_key_id'")
        .hasMessageContaining("known: enabled, keyring");
  }

  @Test
  void aNonBooleanEnabledIsRefused() {
    assertThatThrownBy(() -> parse("storage:\n  encryption:\n    enabled: yes-please\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.encryption.enabled: expected true or false");
  }

  @Test
  void theDefaultKeyringMovesWithTheDataDirAndAnExplicitOneStays() {
    GreyConfig defaults = GreyConfig.defaults(dir);
    GreyConfig moved = defaults.withServer(defaults.server().withDataDir(dir.resolve("elsewhere")));
    assertThat(moved.storage().encryption().keyring()).isEqualTo(dir.resolve("elsewhere/keyring"));

    GreyConfig explicit = defaults.withStorage(defaults.storage()
        .withEncryption(new EncryptionConfig(true, Path.of("/etc/grey/keyring"))));
    GreyConfig kept = explicit.withServer(explicit.server().withDataDir(dir.resolve("elsewhere")));
    assertThat(kept.storage().encryption()).isEqualTo(new EncryptionConfig(true, Path.of("/etc/grey/keyring")));
  }
}
