package io.grey.server;

import io.grey.core.ObjectKey;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ObjectContent;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import io.grey.testkit.BlobStoreContract;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The behaviour contract over the store stack of a node with {@code storage.encryption.enabled} (local store,
 * metrics, retry, encryption, tracing, audit), built by the same factory {@link GreyServer} uses.
 */
class EncryptedServerStoreStackContractTest extends BlobStoreContract {
  private Path objects;

  @Override
  protected BlobStore openStore(Path scratch) {
    objects = scratch.resolve("objects");
    GreyConfig plain = TestNodes.config(scratch);
    GreyConfig config =
        plain.withStorage(plain.storage().withEncryption(plain.storage().encryption().withEnabled(true)));
    StoreStack stack = GreyServer.openStack(config, URI.create("http://127.0.0.1:8080"),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    return new ForwardingBlobStore(stack.store()) {
      @Override
      public void close() {
        stack.close();
      }
    };
  }

  /** Flips one bit in the middle of the ciphertext the local store holds for {@code key}. */
  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) throws Exception {
    byte[] sealed;
    try (LocalStore raw = LocalStore.open(LocalStoreOptions.of(objects)); ObjectContent content = raw.get(key)) {
      sealed = content.readAllBytes();
    }
    List<Path> holders = TestNodes.files(objects).stream().filter(file -> holds(file, sealed)).toList();
    if (holders.size() != 1) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(holders.get(0));
    int at = indexOf(bytes, sealed);
    bytes[at + sealed.length / 2] ^= 0x01;
    Files.write(holders.get(0), bytes);
    return true;
  }

  private static boolean holds(Path file, byte[] body) {
    try {
      return indexOf(Files.readAllBytes(file), body) >= 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
