package io.grey.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The raw AWS SDK v2 baseline: one PutObject per put with {@code RequestBody.fromInputStream} of known length,
 * one GetObject per get streamed to the sink; the client is {@link S3Clients#raw}.
 */
final class RawS3Contender implements Contender {
  private final S3Client client;
  private final String bucket;
  private final Map<String, String> metadata;
  private final String checksumSha256;

  RawS3Contender(S3Client client, String bucket) {
    this(client, bucket, Map.of(), null);
  }

  private RawS3Contender(S3Client client, String bucket, Map<String, String> metadata, String checksumSha256) {
    this.client = client;
    this.bucket = bucket;
    this.metadata = metadata;
    this.checksumSha256 = checksumSha256;
  }

  /**
   * A probe sending what S3Store sends for {@code payload} through {@code client}: its two metadata entries and
   * {@code x-amz-checksum-sha256} (precomputed here: the hashing itself is timed by another probe).
   */
  static RawS3Contender asS3Store(S3Client client, String bucket, byte[] payload) throws Exception {
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(payload);
    return new RawS3Contender(client, bucket,
        Map.of("grey-sha256", HexFormat.of().formatHex(sha), "grey-size", Integer.toString(payload.length)),
        Base64.getEncoder().encodeToString(sha));
  }

  @Override
  public String label() {
    return "raw-s3";
  }

  @Override
  public void put(String name, byte[] payload) {
    client.putObject(b -> b.bucket(bucket).key(key(name)).contentLength((long) payload.length)
            .metadata(metadata).checksumSHA256(checksumSha256),
        RequestBody.fromInputStream(new ByteArrayInputStream(payload), payload.length));
  }

  @Override
  public long get(String name, OutputStream sink) throws Exception {
    try (InputStream in = client.getObject(b -> b.bucket(bucket).key(key(name)))) {
      return in.transferTo(sink);
    }
  }

  /** Times one HEAD of {@code name}, the request Grey's put adds after each write. */
  void head(String name) {
    client.headObject(b -> b.bucket(bucket).key(key(name)));
  }

  /**
   * Uploads {@code payload} as a multipart upload of {@code partSize} parts, {@code parallel} in flight on
   * virtual threads, straight from memory: the transfer Grey's store makes for a body above its threshold.
   */
  void putMultipart(String name, byte[] payload, int partSize, int parallel) throws Exception {
    String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key(name)).metadata(metadata))
        .uploadId();
    int count = (payload.length + partSize - 1) / partSize;
    List<Future<CompletedPart>> parts = new ArrayList<>(count);
    Semaphore inFlight = new Semaphore(parallel);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int partNumber = i + 1;
        int offset = i * partSize;
        int length = Math.min(partSize, payload.length - offset);
        inFlight.acquire();
        parts.add(threads.submit(() -> {
          try {
            String etag = client.uploadPart(b -> b.bucket(bucket).key(key(name)).uploadId(uploadId)
                    .partNumber(partNumber).contentLength((long) length),
                RequestBody.fromInputStream(new ByteArrayInputStream(payload, offset, length), length)).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
          } finally {
            inFlight.release();
          }
        }));
      }
    }
    List<CompletedPart> done = new ArrayList<>(count);
    for (Future<CompletedPart> part : parts) {
      done.add(part.get());
    }
    client.completeMultipartUpload(b -> b.bucket(bucket).key(key(name)).uploadId(uploadId)
        .multipartUpload(m -> m.parts(done)));
  }

  static String key(String name) {
    return "artifacts/bench/t/" + name;
  }
}
