package io.grey.bench;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.store.azure.AzureBlobConfig;
import io.grey.store.azure.AzureBlobStore;
import io.grey.testkit.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Grey's Azure Blob store with its default settings: SHA-256 of the body while it is read in 8 MiB blocks (one
 * Put Blob up to one block, staged blocks 4 in flight plus a Put Block List above it), the digest and size
 * committed as metadata, reads through the SDK's blob input stream in 4 MiB ranges pinned to the ETag with the
 * SHA-256 verified at the end.
 */
final class GreyAzureContender implements Contender {
  private final AzureBlobStore store;

  private GreyAzureContender(AzureBlobStore store) {
    this.store = store;
  }

  static GreyAzureContender open(AzuriteServer azurite) {
    return new GreyAzureContender(AzureBlobStore.create(
        AzureBlobConfig.of(AzuriteServer.ACCOUNT, AzuriteServer.KEY).withEndpoint(azurite.endpoint())
            .withContainers("grey-artifacts", "grey-proofs", "grey-state")));
  }

  @Override
  public String label() {
    return "grey-azure";
  }

  @Override
  public void put(String name, byte[] payload) {
    store.put(key(name), new ByteArrayInputStream(payload), PutOptions.ofLength(payload.length));
  }

  @Override
  public long get(String name, OutputStream sink) throws Exception {
    try (ObjectContent content = store.get(key(name));
        InputStream in = content.stream()) {
      return in.transferTo(sink);
    }
  }

  private static ObjectKey key(String name) {
    return ObjectKey.of("artifacts/bench/t/" + name);
  }

  @Override
  public void close() {
    store.close();
  }
}
