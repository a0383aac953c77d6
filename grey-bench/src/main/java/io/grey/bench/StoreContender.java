package io.grey.bench;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.store.azure.AzureBlobConfig;
import io.grey.store.azure.AzureBlobStore;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import io.grey.store.s3.S3Config;
import io.grey.store.s3.S3Credentials;
import io.grey.store.s3.S3Store;
import io.grey.testkit.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * One of Grey's stores, called in-process through the BlobStore SPI with its default settings: SHA-256 recorded
 * on every put and verified on every whole read. Which extra work each backend does is printed by the benchmark
 * that uses it.
 */
final class StoreContender implements Contender {
  private final String label;
  private final BlobStore store;

  private StoreContender(String label, BlobStore store) {
    this.label = label;
    this.store = store;
  }

  /** The local store under {@code root}. */
  static StoreContender local(Path root) {
    return new StoreContender("local", LocalStore.open(LocalStoreOptions.of(root).withName("bench")));
  }

  /**
   * The S3 store on s3proxy: SHA-256 of the body before sending (in memory up to the 16 MiB multipart threshold,
   * spilled to a file and sent as 8 MiB parts, 4 in flight, above it), the digest also sent as
   * {@code x-amz-checksum-sha256}, one HEAD after each put for the last-modified time.
   */
  static StoreContender s3(URI endpoint, String bucket, Path spillDir) {
    return new StoreContender("grey-s3", S3Store.create(S3Config.of(bucket, "us-east-1")
        .withEndpoint(endpoint.toString(), true)
        .withCredentials(S3Credentials.of(S3ProxyHost.ACCESS_KEY, S3ProxyHost.SECRET_KEY))
        .withTags(false)
        .withSpillDir(spillDir)));
  }

  /**
   * The Azure Blob store on Azurite: SHA-256 while the body is read in 8 MiB blocks (one Put Blob up to one block,
   * staged blocks 4 in flight plus a Put Block List above it), reads in 4 MiB ranges pinned to the ETag.
   */
  static StoreContender azure(AzuriteServer azurite) {
    return new StoreContender("grey-azure", AzureBlobStore.create(
        AzureBlobConfig.of(AzuriteServer.ACCOUNT, AzuriteServer.KEY).withEndpoint(azurite.endpoint())
            .withContainers("grey-artifacts", "grey-proofs", "grey-state")));
  }

  @Override
  public String label() {
    return label;
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
