package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.crypto.EncryptionLayer;
import io.grey.core.crypto.LocalKeyring;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the encryption layer, an S3 server (s3proxy keeping its objects in files) holds ciphertext only. */
class EncryptedS3AtRestTest {
  @TempDir Path serverRoot;
  @TempDir Path scratch;

  @Test
  void theS3ServerHoldsNoPlaintextAndTheLayerReadsItBack() throws Exception {
    String marker = "GREY-S3-AT-REST-MARKER-";
    byte[] body = marker.repeat(20_000).getBytes(StandardCharsets.US_ASCII);
    ObjectKey key = ObjectKey.of("artifacts/acme/build-1/secret.txt");
    SecureRandom random = new SecureRandom();
    LocalKeyring keyring = LocalKeyring.loadOrCreate(scratch.resolve(LocalKeyring.FILE_NAME), random);
    try (S3ProxyServer server = S3ProxyServer.start(serverRoot);
        BlobStore store = new EncryptionLayer(keyring, scratch.resolve("spool"), random)
            .wrap(S3Store.create(server.config(server.newBucket()).withSpillDir(scratch)))) {
      store.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));

      List<Path> files;
      try (Stream<Path> walk = Files.walk(serverRoot)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      assertThat(files).as("files the S3 server keeps").isNotEmpty();
      for (Path file : files) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).as("server file %s", file).doesNotContain(marker);
      }
      assertThat(store.head(key).orElseThrow().size()).as("plaintext size through the layer").isEqualTo(body.length);
      assertThat(store.get(key).readAllBytes()).as("the body read back through the layer").isEqualTo(body);
    }
  }
}
