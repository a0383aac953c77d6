package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two multi-cloud stores ("servers") over the same stores, each with its own outbox, racing on the same keys. */
class TwoServersTest {
  private static final List<String> NAMES = List.of("local", "edge-a", "edge-b");
  private static final int KEYS = 10;
  private static final int WRITERS_PER_SERVER = 3;

  @TempDir Path scratch;

  @Test
  void concurrentWritesOfOneKeyFromTwoServersLeaveEveryReplicaWithTheSameWrittenVersion() throws Exception {
    MultiCloudConfig config = LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC);
    try (MultiCloudStore a = LocalStores.multi(config, LocalStores.open(scratch, NAMES), scratch.resolve("data-a"));
         MultiCloudStore b = LocalStores.multi(config, LocalStores.open(scratch, NAMES), scratch.resolve("data-b"))) {
      List<Set<String>> written = new ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        ObjectKey key = ObjectKey.of("artifacts/acme/race/key-" + k);
        Set<String> bodies = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CyclicBarrier barrier = new CyclicBarrier(2 * WRITERS_PER_SERVER);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2 * WRITERS_PER_SERVER; w++) {
          MultiCloudStore server = w % 2 == 0 ? a : b;
          String text = "key " + k + " from writer " + w + (w % 2 == 0 ? " on a" : " on b");
          threads.add(Thread.ofVirtual().start(() -> {
            try {
              barrier.await();
              byte[] body = text.getBytes(StandardCharsets.UTF_8);
              bodies.add(server.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length)).sha256());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(bodies).as("all six writes of key %d were acknowledged", k).hasSize(2 * WRITERS_PER_SERVER);
        written.add(new HashSet<>(bodies));
      }
      assertThat(a.replicator().drain(Duration.ofSeconds(30))).as("server a drains").isTrue();
      assertThat(b.replicator().drain(Duration.ofSeconds(30))).as("server b drains").isTrue();
      for (int k = 0; k < KEYS; k++) {
        ObjectKey key = ObjectKey.of("artifacts/acme/race/key-" + k);
        Optional<String> primary = a.store("local").head(key).map(ObjectInfo::sha256);
        assertThat(primary).as("key %d is on the primary", k).isPresent();
        assertThat(written.get(k)).as("the primary holds one of the written versions of key %d", k)
            .contains(primary.get());
        for (String name : NAMES) {
          assertThat(a.store(name).head(key).map(ObjectInfo::sha256))
              .as("replica '%s' holds the same version of key %d as the primary", name, k).isEqualTo(primary);
        }
      }
    }
  }
}
