package io.grey.server;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ObjectContent;
import io.grey.testkit.BlobStoreContract;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The behaviour contract over exactly the store stack a node serves from (local store, metrics, retry, tracing,
 * audit), built by the same factory {@link GreyServer} uses.
 */
class ServerStoreStackContractTest extends BlobStoreContract {
  private Path objects;

  @Override
  protected BlobStore openStore(Path scratch) {
    objects = scratch.resolve("objects");
    StoreStack stack = GreyServer.openStack(TestNodes.config(scratch), URI.create("http://127.0.0.1:8080"),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    return new ForwardingBlobStore(stack.store()) {
      @Override
      public void close() {
        stack.close();
      }
    };
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) throws Exception {
    byte[] body;
    try (ObjectContent content = store.get(key)) {
      body = content.readAllBytes();
    }
    List<Path> holders = TestNodes.files(objects).stream().filter(file -> holds(file, body)).toList();
    if (holders.size() != 1) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(holders.get(0));
    int at = indexOf(bytes, body);
    bytes[at + body.length / 2] ^= 0x01;
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
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
