package io.grey.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An s3proxy server in this JVM on an ephemeral loopback port, keeping buckets as directories under a root and
 * checking AWS SigV4 signatures, so both S3 contenders pay for signing and verification alike.
 */
final class S3ProxyHost implements AutoCloseable {
  static final String ACCESS_KEY = "grey-bench-access-key";
  static final String SECRET_KEY = "grey-bench-secret-key-0123456789";

  private final S3Proxy proxy;

  private S3ProxyHost(S3Proxy proxy) {
    this.proxy = proxy;
  }

  /** Starts the server over {@code root} and returns once it accepts requests. */
  static S3ProxyHost start(Path root) throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(root.toString()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30))
        .until(() -> "STARTED".equals(proxy.getState()));
    return new S3ProxyHost(proxy);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
