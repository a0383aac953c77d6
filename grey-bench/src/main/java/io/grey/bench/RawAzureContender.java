package io.grey.bench;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.grey.testkit.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The raw azure-storage-blob baseline: {@code BlobClient.upload(stream, length, overwrite)} per put (the SDK's
 * defaults: one Put Blob up to 256 MiB, no client-side checksum) and {@code downloadStream} to the sink per get;
 * the HTTP client is the one AzureBlobStore builds (the JDK client on virtual threads, one try per call).
 */
final class RawAzureContender implements Contender {
  private final ExecutorService httpThreads;
  private final BlobContainerClient container;

  private RawAzureContender(ExecutorService httpThreads, BlobContainerClient container) {
    this.httpThreads = httpThreads;
    this.container = container;
  }

  static RawAzureContender open(AzuriteServer azurite) {
    ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    RequestRetryOptions oneTry = new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null, null);
    BlobContainerClient container = new BlobServiceClientBuilder()
        .endpoint(azurite.endpoint())
        .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.KEY))
        .httpClient(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().executor(httpThreads)).build())
        .retryOptions(oneTry)
        .buildClient()
        .getBlobContainerClient("raw-bench");
    container.createIfNotExists();
    return new RawAzureContender(httpThreads, container);
  }

  @Override
  public String label() {
    return "raw-azure";
  }

  @Override
  public void put(String name, byte[] payload) {
    container.getBlobClient(RawS3Contender.key(name)).upload(new ByteArrayInputStream(payload), payload.length, true);
  }

  @Override
  public long get(String name, OutputStream sink) {
    Counting counting = new Counting(sink);
    container.getBlobClient(RawS3Contender.key(name)).downloadStream(counting);
    return counting.count;
  }

  /** Uploads as staged blocks of {@code blockSize}, {@code parallel} in flight, and a block-list commit. */
  void putInBlocks(String name, byte[] payload, int blockSize, int parallel) {
    ParallelTransferOptions transfer = new ParallelTransferOptions().setBlockSizeLong((long) blockSize)
        .setMaxSingleUploadSizeLong((long) blockSize).setMaxConcurrency(parallel);
    container.getBlobClient(RawS3Contender.key(name)).uploadWithResponse(
        new BlobParallelUploadOptions(new ByteArrayInputStream(payload), payload.length)
            .setParallelTransferOptions(transfer), null, Context.NONE);
  }

  /** Reads blob {@code blob} of container {@code containerName} with {@code downloadStream}, as {@link #get} does. */
  long downloadStream(String containerName, String blob, OutputStream sink) {
    Counting counting = new Counting(sink);
    container.getServiceClient().getBlobContainerClient(containerName).getBlobClient(blob).downloadStream(counting);
    return counting.count;
  }

  @Override
  public void close() {
    httpThreads.shutdownNow();
  }

  private static final class Counting extends FilterOutputStream {
    private long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
