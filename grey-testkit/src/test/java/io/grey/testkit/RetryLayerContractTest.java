package io.grey.testkit;

import io.grey.core.ObjectKey;
import io.grey.core.layer.RetryLayer;
import io.grey.core.layer.RetryPolicy;
import io.grey.core.store.BlobStore;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** The retry layer over the memory store changes no behaviour of the contract. */
class RetryLayerContractTest extends BlobStoreContract {
  private MemoryBlobStore memory;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    return new RetryLayer(RetryPolicy.defaults(), delay -> { }, new SplittableRandom(1)).wrap(memory);
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }
}
