package io.grey.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
  @TempDir Path dir;

  @Test
  void theKeyFileIsCreatedOwnerReadWriteOnly() throws IOException {
    NodeKey.loadOrCreate(dir);

    Path key = dir.resolve("node-ed25519.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as("permissions of %s", key)
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).as("PKCS#8 PEM").startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
  }

  @Test
  void thePublicKeyFileHoldsTheSamePublicKey() {
    NodeKey key = NodeKey.loadOrCreate(dir);

    assertThat(NodeKey.readPublicKey(dir.resolve("node-ed25519.pub")).getEncoded())
        .as("X.509 PEM public key equals the node's").isEqualTo(key.publicKey().getEncoded());
  }

  @Test
  void aSecondLoadReturnsTheSameKey() {
    NodeKey first = NodeKey.loadOrCreate(dir);
    NodeKey second = NodeKey.loadOrCreate(dir);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(second.publicKey().getEncoded()).isEqualTo(first.publicKey().getEncoded());
  }

  @Test
  void theKeyIdIsTheShortHashOfThePublicKey() {
    NodeKey key = NodeKey.loadOrCreate(dir);

    String full = io.grey.core.store.Digests.sha256Hex(key.publicKey().getEncoded());
    assertThat(key.keyId()).hasSize(16).isEqualTo(full.substring(0, 16));
  }

  @Test
  void aLoadedKeySignsWhatItsPublicKeyVerifies() throws Exception {
    NodeKey.loadOrCreate(dir);
    NodeKey reloaded = NodeKey.loadOrCreate(dir);
    byte[] data = "grey".getBytes(StandardCharsets.UTF_8);

    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(NodeKey.readPublicKey(dir.resolve("node-ed25519.pub")));
    verifier.update(data);
    assertThat(verifier.verify(reloaded.sign(data))).as("signature of the reloaded key verifies").isTrue();
  }

  @Test
  void aKeyFileReadableByOthersIsRefusedWithTheFix() throws IOException {
    NodeKey.loadOrCreate(dir);
    Path key = dir.resolve("node-ed25519.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> NodeKey.loadOrCreate(dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageEndingWith("chmod 600 " + key);
  }

  @Test
  void aKeyFileWritableByTheGroupIsRefused() throws IOException {
    NodeKey.loadOrCreate(dir);
    Files.setPosixFilePermissions(dir.resolve("node-ed25519.key"), PosixFilePermissions.fromString("rw--w----"));

    assertThatThrownBy(() -> NodeKey.loadOrCreate(dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void aPublicKeyFileOfAnotherKeyIsRefused(@TempDir Path other) throws IOException {
    NodeKey.loadOrCreate(dir);
    NodeKey.loadOrCreate(other);
    Files.copy(other.resolve("node-ed25519.pub"), dir.resolve("node-ed25519.pub"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> NodeKey.loadOrCreate(dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not belong to");
  }

  @Test
  void aCorruptKeyFileIsRefused() throws IOException {
    Path key = Files.createFile(dir.resolve("node-ed25519.key"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> NodeKey.loadOrCreate(dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not an Ed25519 private key");
  }

  @Test
  void racingCreatorsEndWithOneKey() throws Exception {
    int racers = 8;
    for (int round = 0; round < 5; round++) {
      Path data = dir.resolve("round-" + round);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<NodeKey>> futures = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
        for (int i = 0; i < racers; i++) {
          futures.add(pool.submit(() -> {
            start.await();
            return NodeKey.loadOrCreate(data);
          }));
        }
        start.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<NodeKey> f : futures) {
          ids.add(f.get().keyId());
        }
        assertThat(ids).as("every racer of round %d got the same key", round).containsOnly(ids.getFirst());
        assertThat(NodeKey.keyIdOf(NodeKey.readPublicKey(data.resolve("node-ed25519.pub"))))
            .as("the key on disk is the one every racer uses").isEqualTo(ids.getFirst());
      }
      try (var files = Files.list(data)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .as("no temporary files left").containsExactlyInAnyOrder("node-ed25519.key", "node-ed25519.pub");
      }
    }
  }

  @Test
  void toStringShowsTheKeyIdOnly() {
    NodeKey key = NodeKey.loadOrCreate(dir);

    assertThat(key.toString()).as("no key material in logs").isEqualTo("NodeKey[" + key.keyId() + "]");
  }
}
