package io.grey.store.local;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.testkit.BlobStoreContract;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The local store, with a presigner, passes the behaviour contract. Its presigned URLs are served by grey-server,
 * so here the contract checks their shape; the server's tests fetch them.
 */
class LocalStoreContractTest extends BlobStoreContract {

  @Override
  protected BlobStore openStore(Path scratch) {
    LocalPresigner presigner =
        LocalPresigner.loadOrCreate(scratch.resolve("presign.key"), URI.create("http://127.0.0.1:8080"), Clock.systemUTC());
    return LocalStore.open(LocalStoreOptions.of(scratch.resolve("objects")).withPresigner(presigner));
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) throws IOException {
    Path file = ((LocalStore) store).dataFile(key);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer first = ByteBuffer.allocate(1);
      if (channel.read(first, 0) != 1) {
        return false;
      }
      first.flip();
      byte flipped = (byte) (first.get(0) ^ 0x5a);
      channel.write(ByteBuffer.wrap(new byte[] {flipped}), 0);
    }
    return true;
  }
}
