package io.grey.store.gcs;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.testkit.BlobStoreContract;
import io.grey.testkit.GcsEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour contract against {@link GcsEmulator} (Grey's emulator of the JSON API, not Google), one bucket per
 * test, authenticated with the emulator's test service-account key so that OAuth and V4 signed URLs are checked.
 * Chunks of 1 MiB send the contract's 5 MiB bodies through the resumable upload and the rewrite, and its small
 * bodies through single multipart requests.
 */
class GcsStoreContractTest extends BlobStoreContract {
  @TempDir
  static Path dir;
  private static GcsEmulator emulator;
  private static Path key;

  @BeforeAll
  static void startEmulator() {
    emulator = GcsEmulator.start();
    key = emulator.writeServiceAccountKey(dir.resolve("sa.json"));
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Override
  protected BlobStore openStore(Path scratch) {
    return GcsStore.create(EmulatedGcs.config(emulator, emulator.newBucket(), key).withChunkSize(1 << 20));
  }

  @Override
  protected boolean presignedUrlsAreServed() {
    return true;
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    GcsStore gcs = (GcsStore) store;
    return emulator.corruptBody(gcs.config().bucket(), gcs.objectName(key));
  }
}
