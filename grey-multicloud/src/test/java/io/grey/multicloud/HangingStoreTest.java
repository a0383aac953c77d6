package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.store.s3.S3Config;
import io.grey.store.s3.S3Credentials;
import io.grey.store.s3.S3Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 replica (s3proxy in-process, behind a forwarder) that stops answering while keeping its connections open:
 * reads fail over within the read timeout, and writes to the other targets are not held up.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HangingStoreTest {
  private static final String ACCESS = "grey-test-access-key";
  private static final String SECRET = "grey-test-secret-key-0123456789";
  private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
  private static final List<String> NAMES = List.of("local", "aws", "edge-a");

  @TempDir Path scratch;

  private S3Proxy s3proxy;
  private SilentProxy forwarder;
  private MultiCloudStore multi;

  @BeforeEach
  void start() throws Exception {
    s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
    s3proxy.start();
    Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(s3proxy.getState()));
    try (S3Client admin = S3Client.builder().region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + s3proxy.getPort())).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      admin.createBucket(b -> b.bucket("grey-hang"));
    }
    forwarder = new SilentProxy(s3proxy.getPort());
    Map<String, BlobStore> stores = new LinkedHashMap<>(LocalStores.open(scratch, List.of("local", "edge-a")));
    stores.put("aws", S3Store.create(S3Config.of("grey-hang", "us-east-1").withName("aws")
        .withEndpoint("http://127.0.0.1:" + forwarder.port(), true)
        .withCredentials(S3Credentials.of(ACCESS, SECRET)).withTags(false)));
    MultiCloudConfig config = LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC);
    // Reads prefer the S3 replica, so that its hang is what every read meets first.
    config = config.withRouting(new MultiCloudConfig.Routing(MultiCloudConfig.Strategy.WEIGHTED,
        MultiCloudConfig.Strategy.ROUND_ROBIN, Duration.ofMinutes(10), Map.of("aws", 1000, "local", 0, "edge-a", 0),
        READ_TIMEOUT, Duration.ofSeconds(5), 3, 1));
    multi = MultiCloudStore.create(config, stores, scratch.resolve("data"), Clock.systemUTC(),
        new SimpleMeterRegistry(), false);
  }

  @AfterEach
  void stop() throws Exception {
    forwarder.resume();
    if (multi != null) {
      multi.close();
    }
    forwarder.close();
    s3proxy.stop();
  }

  private static ObjectKey key(int i) {
    return ObjectKey.of("artifacts/acme/task-1/hang-" + i);
  }

  private static byte[] body(int i) {
    return ("body of object " + i).getBytes(StandardCharsets.UTF_8);
  }

  private void put(int i) {
    multi.put(key(i), new ByteArrayInputStream(body(i)), PutOptions.ofLength(body(i).length));
  }

  @Test
  void readsFailOverWithinTheReadTimeoutAndWritesToOtherTargetsAreNotHeldUp() throws Exception {
    for (int i = 0; i < 5; i++) {
      put(i);
    }
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("the S3 replica catches up first").isTrue();
    assertThat(multi.store("aws").get(key(0)).readAllBytes()).as("the S3 replica serves reads").isEqualTo(body(0));

    forwarder.hang();
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      assertThat(multi.get(key(i)).readAllBytes()).as("read %d fails over to a local replica", i).isEqualTo(body(i));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("read %d took at most the read timeout plus a margin", i)
          .isLessThan(READ_TIMEOUT.plusSeconds(2));
    }
    assertThat(multi.health("aws").up()).as("three timeouts mark the hanging store down").isFalse();

    long start = System.nanoTime();
    for (int i = 5; i < 25; i++) {
      put(i);
    }
    Duration writes = Duration.ofNanos(System.nanoTime() - start);
    assertThat(writes).as("20 puts while the S3 replica hangs").isLessThan(Duration.ofSeconds(10));
    Awaitility.await("edge-a replicates while aws hangs").atMost(Duration.ofSeconds(30))
        .until(() -> multi.outbox().count("edge-a", Outbox.State.PENDING) == 0);
    assertThat(multi.outbox().count("aws", Outbox.State.PENDING)).as("aws's changes wait in the outbox").isEqualTo(20);

    forwarder.resume();
    multi.monitor().probeAll();
    assertThat(multi.health("aws").up()).as("one good probe brings aws back").isTrue();
    assertThat(multi.replicator().drain(Duration.ofSeconds(60))).as("aws catches up once it answers").isTrue();
    for (int i = 0; i < 25; i++) {
      assertThat(multi.store("aws").get(key(i)).readAllBytes()).as("object %d on aws", i).isEqualTo(body(i));
    }
  }
}
