package io.grey.store.s3;

import io.grey.core.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one spilled body as an S3 multipart upload: parts in parallel on virtual threads, at most
 * {@code maxParallelParts} in flight (so memory is bounded by the parts in flight, not the object), then one
 * CompleteMultipartUpload that carries the write condition. On any failure, including a failed condition at
 * completion, the upload is aborted so that no parts are left behind to be billed. Thread-safe.
 */
final class MultipartWriter {
  /** S3 allows at most this many parts per upload. */
  static final int MAX_PARTS = 10_000;

  private final S3Client client;
  private final String store;
  private final long partSize;
  private final int maxParallelParts;

  MultipartWriter(S3Client client, String store, long partSize, int maxParallelParts) {
    this.client = client;
    this.store = store;
    this.partSize = partSize;
    this.maxParallelParts = maxParallelParts;
  }

  /** The part size for an object of {@code size} bytes: the configured one, raised to fit in 10,000 parts. */
  long partSizeFor(long size) {
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long mib = 1024 * 1024;
    return Math.max(partSize, (needed + mib - 1) / mib * mib);
  }

  /**
   * Uploads {@code file} ({@code size} bytes) under the bucket and key of {@code create}.
   *
   * @param condition sets the If-None-Match or If-Match header of the completion request
   * @return the ETag S3 gave the completed object, and when it answered
   */
  Written upload(CreateMultipartUploadRequest create, Path file, long size,
      Consumer<CompleteMultipartUploadRequest.Builder> condition, String operation) {
    String uploadId = call(operation + " (create multipart upload)",
        () -> client.createMultipartUpload(create).uploadId());
    try {
      List<CompletedPart> parts = uploadParts(create, uploadId, file, size, operation);
      CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
          .bucket(create.bucket()).key(create.key()).uploadId(uploadId)
          .multipartUpload(b -> b.parts(parts));
      condition.accept(complete);
      return call(operation + " (complete multipart upload)",
          () -> {
            var response = client.completeMultipartUpload(complete.build());
            return Written.of(response.eTag(), response);
          });
    } catch (RuntimeException | Error e) {
      abort(create, uploadId, e);
      throw e;
    }
  }

  private List<CompletedPart> uploadParts(CreateMultipartUploadRequest create, String uploadId, Path file,
      long size, String operation) {
    long chunk = partSizeFor(size);
    int count = (int) Math.max(1, (size + chunk - 1) / chunk);
    Semaphore inFlight = new Semaphore(maxParallelParts);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Future<CompletedPart>> futures = new ArrayList<>(count);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count && failure.get() == null; i++) {
        try {
          inFlight.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure.compareAndSet(null, new StoreUnavailableException(
              "store '" + store + "': " + operation + ": interrupted while uploading parts", e));
          break;
        }
        int partNumber = i + 1;
        long offset = i * chunk;
        long length = Math.min(chunk, size - offset);
        futures.add(threads.submit(() -> {
          try (FileSlice slice = new FileSlice(file, offset, length)) {
            UploadPartResponse response = call(operation + " (part " + partNumber + " of " + count + ")",
                () -> client.uploadPart(b -> b.bucket(create.bucket()).key(create.key()).uploadId(uploadId)
                    .partNumber(partNumber).contentLength(length),
                    RequestBody.fromContentProvider(slice, length, "application/octet-stream")));
            return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            throw e;
          } finally {
            inFlight.release();
          }
        }));
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    List<CompletedPart> parts = new ArrayList<>(count);
    for (Future<CompletedPart> future : futures) {
      parts.add(future.resultNow());
    }
    return parts;
  }

  private void abort(CreateMultipartUploadRequest create, String uploadId, Throwable cause) {
    try {
      client.abortMultipartUpload(b -> b.bucket(create.bucket()).key(create.key()).uploadId(uploadId));
    } catch (SdkException e) {
      // The original failure is what the caller must see; a lifecycle rule on incomplete uploads is the backstop.
      cause.addSuppressed(S3Errors.map(store, "abort multipart upload " + uploadId, e));
    }
  }

  private <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw S3Errors.map(store, operation, e);
    } catch (UncheckedIOException e) {
      throw new StoreUnavailableException("store '" + store + "': " + operation + ": " + e.getMessage(), e);
    }
  }
}
