package io.grey.testkit;

import io.grey.core.ObjectKey;
import io.grey.core.crypto.EncryptionLayer;
import io.grey.core.crypto.LocalKeyring;
import io.grey.core.store.BlobStore;
import java.nio.file.Path;
import java.security.SecureRandom;

/** The encryption layer over the memory store passes the behaviour contract with plaintext sizes and digests. */
class EncryptionLayerContractTest extends BlobStoreContract {
  private MemoryBlobStore memory;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    SecureRandom random = new SecureRandom();
    LocalKeyring keyring = LocalKeyring.loadOrCreate(scratch.resolve(LocalKeyring.FILE_NAME), random);
    return new EncryptionLayer(keyring, scratch.resolve("spool"), random).wrap(memory);
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }
}
