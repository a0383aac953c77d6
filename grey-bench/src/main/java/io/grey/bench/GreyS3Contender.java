package io.grey.bench;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.store.s3.S3Config;
import io.grey.store.s3.S3Credentials;
import io.grey.store.s3.S3Store;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * Grey's S3 store with its default settings: SHA-256 of the body before sending (held in memory up to the 16 MiB
 * multipart threshold, spilled to a file and sent as 8 MiB parts, 4 in flight, above it), the digest also sent as
 * {@code x-amz-checksum-sha256}, one HEAD after each put for the last-modified time, SHA-256 verified on read.
 */
final class GreyS3Contender implements Contender {
  private final S3Store store;

  private GreyS3Contender(S3Store store) {
    this.store = store;
  }

  static GreyS3Contender open(URI endpoint, String bucket, Path spillDir) {
    return new GreyS3Contender(S3Store.create(S3Config.of(bucket, "us-east-1")
        .withEndpoint(endpoint.toString(), true)
        .withCredentials(S3Credentials.of(S3ProxyHost.ACCESS_KEY, S3ProxyHost.SECRET_KEY))
        .withTags(false)
        .withSpillDir(spillDir)));
  }

  @Override
  public String label() {
    return "grey-s3";
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
