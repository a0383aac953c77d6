package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.store.azure.AzureBlobConfig;
import io.grey.store.azure.AzureBlobStore;
import io.grey.store.s3.S3Config;
import io.grey.store.s3.S3Credentials;
import io.grey.store.s3.S3Store;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.FaultyStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A local primary with an S3 (s3proxy) and an Azure (Azurite) replica, one of them stopped mid-workload. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedCloudsTest {
  private static final String ACCESS = "grey-test-access-key";
  private static final String SECRET = "grey-test-secret-key-0123456789";
  private static final List<String> NAMES = List.of("local", "aws", "azure");

  @TempDir Path scratch;

  private static void put(BlobStore store, ObjectKey key, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    store.put(key, new ByteArrayInputStream(b), PutOptions.ofLength(b.length));
  }

  @Test
  void overwritesAndDeletesReachS3AndAzureReplicasAfterTheAzureReplicaComesBack() throws Exception {
    S3Proxy s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0")).awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
    s3proxy.start();
    try (AzuriteServer azurite = AzuriteServer.start()) {
      Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(s3proxy.getState()));
      String endpoint = "http://127.0.0.1:" + s3proxy.getPort();
      try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
          .forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
          .httpClientBuilder(ApacheHttpClient.builder()).build()) {
        admin.createBucket(b -> b.bucket("grey-mixed"));
      }
      Map<String, BlobStore> stores = new LinkedHashMap<>(LocalStores.open(scratch, List.of("local")));
      stores.put("aws", S3Store.create(S3Config.of("grey-mixed", "us-east-1").withName("aws")
          .withEndpoint(endpoint, true).withCredentials(S3Credentials.of(ACCESS, SECRET)).withTags(false)));
      FaultyStore azure = FaultyStore.wrap(AzureBlobStore.create(
          AzureBlobConfig.of(AzuriteServer.ACCOUNT, AzuriteServer.KEY).withEndpoint(azurite.endpoint())));
      stores.put("azure", azure);
      MultiCloudConfig config = LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC);
      try (MultiCloudStore multi = LocalStores.multi(config.withRouting(config.routing().withHysteresis(1, 1)),
          stores, scratch.resolve("data"))) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
          ObjectKey key = ObjectKey.of("artifacts/acme/mixed/o-" + i);
          put(multi, key, "first " + i);
        }
        assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("both clouds catch up first").isTrue();
        for (FaultyStore.Operation op : FaultyStore.Operation.values()) {
          azure.failNext(op, 10_000, () -> new StoreUnavailableException("azure stopped"));
        }
        multi.monitor().probeAll();
        assertThat(multi.health("azure").up()).as("azure is down").isFalse();
        for (int i = 0; i < 10; i++) {
          put(multi, ObjectKey.of("artifacts/acme/mixed/o-" + i), "second " + i);
          multi.delete(ObjectKey.of("artifacts/acme/mixed/o-" + (i + 10)));
        }
        Awaitility.await("the S3 replica keeps up while azure is down").atMost(Duration.ofSeconds(30))
            .until(() -> multi.outbox().count("aws", Outbox.State.PENDING) == 0);
        assertThat(multi.outbox().count("azure", Outbox.State.PENDING)).as("azure's changes wait").isEqualTo(20);
        azure.heal();
        multi.monitor().probeAll();
        assertThat(multi.replicator().drain(Duration.ofSeconds(60))).as("azure catches up").isTrue();
        for (int i = 0; i < 10; i++) {
          byte[] b = ("second " + i).getBytes(StandardCharsets.UTF_8);
          expected.put("artifacts/acme/mixed/o-" + i, CrashBodies.sha(b));
        }
        for (String name : NAMES) {
          assertThat(Replicas.digests(multi.store(name), "artifacts/acme/mixed/"))
              .as("store '%s' holds the overwrites and none of the deleted objects", name).isEqualTo(expected);
        }
      }
    } finally {
      s3proxy.stop();
    }
  }
}
