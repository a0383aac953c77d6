package io.grey.store.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An in-process s3proxy on an ephemeral port, storing objects under a directory, with AWS V4 authentication. */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "grey-test-access-key";
  static final String SECRET_KEY = "grey-test-secret-key-0123456789";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final S3Proxy proxy;
  private final S3Client admin;

  private S3ProxyServer(S3Proxy proxy) {
    this.proxy = proxy;
    this.admin = S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
        .build();
  }

  /** Starts a server keeping its buckets under {@code root}. */
  static S3ProxyServer start(Path root) throws Exception {
    return start(new FilesystemNio2BlobStore(root.toString()));
  }

  /** Starts a server keeping its buckets in memory. */
  static S3ProxyServer startInMemory() throws Exception {
    return start(new TransientNio2BlobStore());
  }

  private static S3ProxyServer start(BlobStore blobs) throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(blobs)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30))
        .until(() -> "STARTED".equals(proxy.getState()));
    return new S3ProxyServer(proxy);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A client with the server's credentials, for arranging and inspecting behind the store's back. */
  S3Client admin() {
    return admin;
  }

  /** Creates a fresh bucket and returns its name. */
  String newBucket() {
    String bucket = "grey-test-" + BUCKETS.incrementAndGet();
    admin.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** A store configuration for {@code bucket} on this server: path style, the test key pair, no tagging. */
  S3Config config(String bucket) {
    return S3Config.of(bucket, "us-east-1")
        .withEndpoint(endpoint().toString(), true)
        .withCredentials(S3Credentials.of(ACCESS_KEY, SECRET_KEY))
        .withTags(false);
  }

  @Override
  public void close() throws Exception {
    admin.close();
    proxy.stop();
  }
}
