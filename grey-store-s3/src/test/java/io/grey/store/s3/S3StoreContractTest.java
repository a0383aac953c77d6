package io.grey.store.s3;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.testkit.BlobStoreContract;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour contract against s3proxy (filesystem store, so that a stored body can be corrupted behind the
 * store's back) in this JVM, one bucket per test. s3proxy does not
 * implement object tagging (501), so the store runs with tagging off and the contract skips the tag behaviours;
 * {@link S3ProxyLimits} names the few behaviours the server itself cannot show.
 */
@ExtendWith(S3ProxyLimits.class)
class S3StoreContractTest extends BlobStoreContract {
  @TempDir
  static Path serverRoot;
  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(serverRoot);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected BlobStore openStore(Path scratch) {
    return S3Store.create(server.config(server.newBucket()).withSpillDir(scratch));
  }

  @Override
  protected boolean presignedUrlsAreServed() {
    return true;
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) throws IOException {
    S3Store s3 = (S3Store) store;
    Path file = serverRoot.resolve(s3.config().bucket()).resolve(s3.objectName(key));
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return false;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      int first = raf.read();
      raf.seek(0);
      raf.write(first ^ 0xff);
    }
    return true;
  }
}
