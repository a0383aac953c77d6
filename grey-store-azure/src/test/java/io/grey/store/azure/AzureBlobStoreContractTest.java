package io.grey.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.BlobStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The behaviour contract against a real Azurite blob service, with fresh containers for every test. */
class AzureBlobStoreContractTest extends BlobStoreContract {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static AzuriteServer azurite;
  private String stateContainer;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  protected BlobStore openStore(Path scratch) {
    String suffix = ProcessHandle.current().pid() + "-" + STORES.incrementAndGet();
    stateContainer = "state-" + suffix;
    return AzureBlobStore.create(AzuriteAccount.config(azurite).withContainers("artifacts-" + suffix, "proofs-" + suffix,
        stateContainer));
  }

  @Override
  protected boolean presignedUrlsAreServed() {
    return true;
  }

  /** Rewrites the blob with other bytes of the same length under the same Grey metadata, bypassing the store. */
  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    BlobServiceClient raw = new BlobServiceClientBuilder().endpoint(azurite.endpoint())
        .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.KEY)).buildClient();
    String container = stateContainer.replaceFirst("^state-", "artifacts-");
    BlobClient blob = raw.getBlobContainerClient(container).getBlobClient(key.value());
    BlobProperties properties = blob.getProperties();
    byte[] rotten = new byte[(int) properties.getBlobSize()];
    blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(rotten))
        .setMetadata(properties.getMetadata())
        .setHeaders(new BlobHttpHeaders().setContentType(properties.getContentType())), null, null);
    return true;
  }
}
