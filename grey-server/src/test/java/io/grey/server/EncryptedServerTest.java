package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.ConfigException;
import io.grey.core.ObjectKey;
import io.grey.core.config.EncryptionConfig;
import io.grey.core.config.GreyConfig;
import io.grey.core.crypto.LocalKeyring;
import io.grey.core.store.ObjectContent;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with {@code storage.encryption.enabled}: clients see plaintext over HTTP while the store's files hold only
 * ciphertext; rotation keeps older objects readable; a bad keyring or a missing key is a typed error.
 */
class EncryptedServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAINTEXT = "quarterly proof of reserves, do not disclose: 7f3a9c ".repeat(40);

  @TempDir
  Path dataDir;

  private GreyConfig config() {
    GreyConfig config = TestNodes.config(dataDir);
    return config.withStorage(config.storage().withEncryption(config.storage().encryption().withEnabled(true)));
  }

  private Path keyring() {
    return config().storage().encryption().keyring();
  }

  private static String put200(GreyServer node, String path, String body) {
    HttpResponse<String> put = put(node, path, TOKEN_A, body);
    assertThat(put.statusCode()).as("put %s: %s", path, put.body()).isEqualTo(200);
    return put.body();
  }

  private static String get200(GreyServer node, String path) {
    HttpResponse<String> got = get(node, path, TOKEN_A);
    assertThat(got.statusCode()).as("get %s: %s", path, got.body()).isEqualTo(200);
    return got.body();
  }

  /** The bytes the local store holds for {@code key}, read behind the server's back. */
  private byte[] stored(String key) throws IOException {
    try (LocalStore raw = LocalStore.open(LocalStoreOptions.of(dataDir.resolve("objects")));
        ObjectContent content = raw.get(ObjectKey.of(key));
        InputStream in = content.stream()) {
      return in.readAllBytes();
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }

  @Test
  void aPutOverHttpReadsBackAsPlaintextWhileTheStoreFilesHoldNoneOfIt() throws IOException {
    try (GreyServer node = GreyServer.start(config())) {
      put200(node, "/v1/artifacts/acme/t1/reserves.txt", PLAINTEXT);
      assertThat(get200(node, "/v1/artifacts/acme/t1/reserves.txt")).as("GET decrypts").isEqualTo(PLAINTEXT);
    }
    List<Path> files = TestNodes.files(dataDir.resolve("objects"));
    assertThat(files).as("the local store wrote files").isNotEmpty();
    String marker = "do not disclose";
    for (Path file : files) {
      assertThat(contains(Files.readAllBytes(file), marker)).as("%s holds no plaintext", file).isFalse();
    }
    assertThat(contains(stored("artifacts/acme/t1/reserves.txt"), "GRYE"))
        .as("the stored body is Grey's envelope format").isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring())))
        .as("the keyring created on the first start is private").isEqualTo("rw-------");
  }

  @Test
  void afterARotationOldAndNewObjectsBothReadAndNewOnesUseTheNewKey() throws IOException {
    String before;
    try (GreyServer node = GreyServer.start(config())) {
      put200(node, "/v1/artifacts/acme/t1/old.txt", "written under the first key");
      before = LocalKeyring.loadOrCreate(keyring(), new SecureRandom()).currentKeyId();
    }
    String after = LocalKeyring.loadOrCreate(keyring(), new SecureRandom()).rotate();
    try (GreyServer node = GreyServer.start(config())) {
      put200(node, "/v1/artifacts/acme/t1/new.txt", "written under the second key");
      assertThat(get200(node, "/v1/artifacts/acme/t1/old.txt")).isEqualTo("written under the first key");
      assertThat(get200(node, "/v1/artifacts/acme/t1/new.txt")).isEqualTo("written under the second key");
    }
    assertThat(contains(stored("artifacts/acme/t1/old.txt"), before)).as("old object names key %s", before)
        .isTrue();
    assertThat(contains(stored("artifacts/acme/t1/new.txt"), after)).as("new object names key %s", after)
        .isTrue();
  }

  @Test
  void aKeyringReadableByTheGroupIsRefusedAtStartNamingTheFix() throws IOException {
    LocalKeyring.loadOrCreate(keyring(), new SecureRandom());
    Files.setPosixFilePermissions(keyring(), PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> GreyServer.start(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("readable or writable by others")
        .hasMessageContaining("chmod 600 " + keyring());
  }

  @Test
  void anObjectWhoseKeyIsNotInTheKeyringIsATypedErrorAndNewWritesStillWork() throws Exception {
    try (GreyServer node = GreyServer.start(config())) {
      put200(node, "/v1/artifacts/acme/t1/orphan.txt", "its key will be lost");
    }
    Files.delete(keyring());
    try (GreyServer node = GreyServer.start(config())) {
      HttpResponse<String> got = get(node, "/v1/artifacts/acme/t1/orphan.txt", TOKEN_A);
      assertThat(got.statusCode()).as("%s", got.body()).isEqualTo(500);
      assertThat(JSON.readTree(got.body()).get("code").asText()).as("typed, not 'internal'")
          .isEqualTo("config_error");
      assertThat(got.body()).as("no path or key id in the answer").doesNotContain(dataDir.toString());
      put200(node, "/v1/artifacts/acme/t1/fresh.txt", "under the new keyring");
      assertThat(get200(node, "/v1/artifacts/acme/t1/fresh.txt")).isEqualTo("under the new keyring");
    }
  }

  @Test
  void aDifferentKeyUnderTheSameIdIsATypedErrorToo() throws Exception {
    try (GreyServer node = GreyServer.start(config())) {
      put200(node, "/v1/artifacts/acme/t1/swapped.txt", "its key will be replaced");
    }
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    String text = Files.readString(keyring());
    String swapped = text.replaceAll("(?m)^(kek\\.[0-9a-f]{16}=).*$",
        "$1" + java.util.Base64.getEncoder().encodeToString(other));
    assertThat(swapped).as("the key bytes were replaced").isNotEqualTo(text);
    Files.writeString(keyring(), swapped);
    try (GreyServer node = GreyServer.start(config())) {
      HttpResponse<String> got = get(node, "/v1/artifacts/acme/t1/swapped.txt", TOKEN_A);
      assertThat(got.statusCode()).as("%s", got.body()).isEqualTo(500);
      assertThat(JSON.readTree(got.body()).get("code").asText()).isEqualTo("config_error");
    }
  }

  @Test
  void encryptionOffLeavesTheStoreInPlaintextAndCreatesNoKeyring() throws IOException {
    GreyConfig plain = TestNodes.config(dataDir);
    assertThat(plain.storage().encryption()).isEqualTo(EncryptionConfig.under(dataDir));
    try (GreyServer node = GreyServer.start(plain)) {
      put200(node, "/v1/artifacts/acme/t1/plain.txt", "plain as day");
    }
    assertThat(new String(stored("artifacts/acme/t1/plain.txt"), StandardCharsets.UTF_8)).isEqualTo("plain as day");
    assertThat(Files.exists(keyring())).as("no keyring without encryption").isFalse();
  }
}
