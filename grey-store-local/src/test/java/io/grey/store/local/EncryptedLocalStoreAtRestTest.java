package io.grey.store.local;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the encryption layer, the local store's data file holds ciphertext only. */
class EncryptedLocalStoreAtRestTest {
  @TempDir Path dir;

  @Test
  void theDataFileOnDiskHoldsNoPlaintext() throws Exception {
    SecureRandom random = new SecureRandom();
    LocalStore local = LocalStore.open(LocalStoreOptions.of(dir.resolve("objects")));
    LocalKeyring keyring = LocalKeyring.loadOrCreate(dir.resolve(LocalKeyring.FILE_NAME), random);
    String marker = "GREY-AT-REST-MARKER-";
    byte[] body = marker.repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    ObjectKey key = ObjectKey.of("artifacts/acme/build-1/secret.txt");
    try (BlobStore store = new EncryptionLayer(keyring, dir.resolve("spool"), random).wrap(local)) {
      store.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));

      String onDisk = new String(Files.readAllBytes(local.dataFile(key)), StandardCharsets.ISO_8859_1);
      assertThat(onDisk).as("the local data file").doesNotContain(marker);
      assertThat(store.get(key).readAllBytes()).as("the body read back through the layer").isEqualTo(body);
    }
  }
}
