package io.grey.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyring file: owner-only permissions, atomic creation, rotation that keeps old keys, typed errors. */
class LocalKeyringTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  @Test
  void aNewKeyringFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
    LocalKeyring keyring = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring.file())))
        .as("permissions of a created keyring").isEqualTo("rw-------");
    assertThat(keyring.keyIds()).as("KEKs of a created keyring").containsExactly(keyring.currentKeyId());
  }

  @Test
  void aKeyringReadableByOthersIsRefusedNamingChmod600() throws Exception {
    Path file = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random).file();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> LocalKeyring.loadOrCreate(file, random)).as("opening a world-readable keyring")
        .isInstanceOf(ConfigException.class).hasMessageContaining("chmod 600").hasMessageContaining(file.toString());
  }

  @Test
  void aReopenedKeyringUnwrapsWhatItWrapped() {
    LocalKeyring keyring = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);
    byte[] dataKey = random.generateSeed(32);
    byte[] wrapped = keyring.wrap(keyring.currentKeyId(), dataKey);

    LocalKeyring reopened = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);
    assertThat(reopened.unwrap(keyring.currentKeyId(), wrapped)).as("data key unwrapped after reopening")
        .isEqualTo(dataKey);
    assertThat(wrapped).as("wrapped key is not the data key").isNotEqualTo(dataKey).hasSize(40);
  }

  @Test
  void rotationAddsANewCurrentKeyAndKeepsTheOldOnes() {
    LocalKeyring keyring = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);
    String first = keyring.currentKeyId();
    byte[] dataKey = random.generateSeed(32);
    byte[] wrapped = keyring.wrap(first, dataKey);

    String second = keyring.rotate();

    assertThat(keyring.currentKeyId()).as("current KEK after rotation").isEqualTo(second).isNotEqualTo(first);
    assertThat(keyring.keyIds()).as("KEKs after rotation").containsExactly(first, second);
    assertThat(keyring.unwrap(first, wrapped)).as("data key wrapped before the rotation").isEqualTo(dataKey);
  }

  @Test
  void aRotationByAnotherInstanceIsSeenWhenItsKeyIsAskedFor() throws Exception {
    LocalKeyring one = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);
    LocalKeyring two = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);
    String rotated = two.rotate();
    byte[] dataKey = random.generateSeed(32);

    assertThat(one.unwrap(rotated, two.wrap(rotated, dataKey))).as("key added by the other instance")
        .isEqualTo(dataKey);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(two.file())))
        .as("permissions after rotation").isEqualTo("rw-------");
  }

  @Test
  void anUnknownKeyIdIsAConfigErrorNamingIt() {
    LocalKeyring keyring = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);

    assertThatThrownBy(() -> keyring.unwrap("00112233aabbccdd", new byte[40])).as("unwrap under an absent id")
        .isInstanceOf(ConfigException.class).hasMessageContaining("00112233aabbccdd");
  }

  @Test
  void concurrentCreatorsShareOneKeyring() throws Exception {
    Path file = dir.resolve("shared");
    List<Future<String>> ids = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        ids.add(threads.submit(() -> LocalKeyring.loadOrCreate(file, random).currentKeyId()));
      }
    }
    List<String> seen = new ArrayList<>();
    for (Future<String> id : ids) {
      seen.add(id.get());
    }

    assertThat(seen).as("current key ids seen by eight concurrent creators").containsOnly(seen.getFirst());
    assertThat(LocalKeyring.loadOrCreate(file, random).keyIds()).as("KEKs in the shared keyring").hasSize(1);
  }
}
