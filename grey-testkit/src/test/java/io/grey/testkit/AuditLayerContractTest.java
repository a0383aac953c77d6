package io.grey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.audit.AuditLog;
import io.grey.core.layer.AuditLayer;
import io.grey.core.store.BlobStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

/**
 * The audit layer over the memory store changes no behaviour of the contract, and the log it writes (also under
 * the contract's concurrent writers) keeps an intact hash chain.
 */
class AuditLayerContractTest extends BlobStoreContract {
  private MemoryBlobStore memory;
  private AuditLog log;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    // Without fsync: the contract checks the layer's behaviour, not the durability of the log.
    log = AuditLog.open(scratch.resolve("audit.log"), Clock.systemUTC(), false);
    return new AuditLayer(log).wrap(memory);
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }

  @AfterEach
  void auditLogStaysIntact() {
    Path file = log.file();
    log.close();
    assertThat(AuditLog.verify(file).ok()).as("audit log verifies after the test: %s", AuditLog.verify(file))
        .isTrue();
  }
}
