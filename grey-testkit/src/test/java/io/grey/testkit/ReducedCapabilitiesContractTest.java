package io.grey.testkit;

import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
import io.grey.core.store.ForwardingBlobStore;
import java.nio.file.Path;

/**
 * A store that declares no optional capability runs the contract without any gated behaviour: what the contract
 * checks unconditionally must not rely on conditional writes, tags, metadata, ranges or unknown lengths.
 */
class ReducedCapabilitiesContractTest extends BlobStoreContract {
  private static final Capabilities NONE = new Capabilities(false, false, false, false, false, false);

  @Override
  protected BlobStore openStore(Path scratch) {
    return new ForwardingBlobStore(MemoryBlobStore.create("bare")) {
      @Override
      public Capabilities capabilities() {
        return NONE;
      }
    };
  }
}
