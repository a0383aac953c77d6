package io.grey.testkit;

import io.grey.core.ObjectKey;
import io.grey.core.layer.MetricsLayer;
import io.grey.core.store.BlobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/** The metrics layer over the memory store changes no behaviour of the contract. */
class MetricsLayerContractTest extends BlobStoreContract {
  private MemoryBlobStore memory;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    return new MetricsLayer(new SimpleMeterRegistry(), "memory").wrap(memory);
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }
}
