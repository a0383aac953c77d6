package io.grey.testkit;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import java.nio.file.Path;

/** The reference in-memory store passes the whole contract. */
class MemoryBlobStoreContractTest extends BlobStoreContract {
  private MemoryBlobStore memory;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    return memory;
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }
}
