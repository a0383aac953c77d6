package io.grey.store.local;

import io.grey.core.ObjectKey;
import io.grey.core.crypto.EncryptionLayer;
import io.grey.core.crypto.LocalKeyring;
import io.grey.core.store.BlobStore;
import io.grey.testkit.BlobStoreContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/** The encryption layer over the local store passes the behaviour contract; presign is off through it. */
class EncryptedLocalStoreContractTest extends BlobStoreContract {
  private LocalStore local;

  @Override
  protected BlobStore openStore(Path scratch) {
    local = LocalStore.open(LocalStoreOptions.of(scratch.resolve("objects")));
    SecureRandom random = new SecureRandom();
    LocalKeyring keyring = LocalKeyring.loadOrCreate(scratch.resolve(LocalKeyring.FILE_NAME), random);
    return new EncryptionLayer(keyring, scratch.resolve("spool"), random).wrap(local);
  }

  /** Flips a byte in the middle of the stored ciphertext, past the header. */
  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) throws IOException {
    Path file = local.dataFile(key);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = local.head(key).orElseThrow().size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      if (channel.read(one, at) != 1) {
        return false;
      }
      channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x01)}), at);
    }
    return true;
  }
}
