package io.grey.multicloud;

import io.grey.core.store.BlobStore;
import io.grey.testkit.BlobStoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The behaviour contract, unchanged, against the multi-cloud store over three local directory stores. */
class MultiCloudContractTest {
  private static final List<String> NAMES = List.of("local", "edge-a", "edge-b");

  /** Every data class replicated synchronously to all three stores. */
  @Nested
  class Sync extends BlobStoreContract {
    @Override
    protected BlobStore openStore(Path scratch) {
      return LocalStores.multi(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.SYNC),
          LocalStores.open(scratch, NAMES), scratch.resolve("data"));
    }
  }

  /** Every data class replicated asynchronously through the outbox. */
  @Nested
  class Async extends BlobStoreContract {
    private MultiCloudStore multi;

    @Override
    protected BlobStore openStore(Path scratch) {
      multi = LocalStores.multi(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC),
          LocalStores.open(scratch, NAMES), scratch.resolve("data"));
      return multi;
    }

    @AfterEach
    void everyChangeReachedEveryReplica() throws InterruptedException {
      org.assertj.core.api.Assertions.assertThat(multi.replicator().drain(java.time.Duration.ofSeconds(30)))
          .as("the outbox drains after the test's writes").isTrue();
      java.util.Map<String, String> primary = Replicas.digests(multi.store("local"), "");
      for (String name : NAMES) {
        org.assertj.core.api.Assertions.assertThat(Replicas.digests(multi.store(name), ""))
            .as("replica '%s' holds what the primary holds after the drain", name).isEqualTo(primary);
      }
    }
  }
}
