package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.store.PutOptions;
import io.grey.testkit.DeterministicBody;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * SSE-KMS against a server that records it: S3Mock stores the encryption headers of a write, answers them on
 * HEAD, and refuses a KMS key it does not know (it registers keys by ARN and checks the key id Grey sends).
 * Opt-in like {@link S3MockTagsContractTest}: start S3Mock with the environment
 * {@code COM_ADOBE_TESTING_S3MOCK_STORE_VALIDKMSKEYS=}{@value #KEY_ARN} and pass
 * {@code -Dgrey.s3.s3mockEndpoint=http://127.0.0.1:<port>}.
 */
class S3MockEncryptionTest {
  static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/grey-test-key";
  private static final String KEY = "grey-test-key";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static URI endpoint;
  private static S3Client admin;

  @BeforeAll
  static void reachS3Mock() {
    String given = System.getProperty("grey.s3.s3mockEndpoint", "");
    Assumptions.assumeTrue(!given.isEmpty(), "S3Mock not configured: pass -Dgrey.s3.s3mockEndpoint=http://...");
    endpoint = URI.create(given);
    try (HttpClient http = HttpClient.newHttpClient()) {
      Awaitility.await("S3Mock answering at " + endpoint).atMost(Duration.ofSeconds(240))
          .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> http.send(HttpRequest.newBuilder(endpoint).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200);
    }
    admin = S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  @AfterAll
  static void closeAdmin() {
    if (admin != null) {
      admin.close();
    }
  }

  private S3Config config(S3Encryption encryption) {
    String bucket = "grey-sse-" + BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    admin.createBucket(b -> b.bucket(bucket));
    return S3Config.of(bucket, "us-east-1").withEndpoint(endpoint.toString(), true)
        .withCredentials(S3Credentials.of("any", "any")).withEncryption(encryption);
  }

  @Test
  void theServerRecordsTheKmsKeyOfAGreyWrite() {
    S3Config config = config(S3Encryption.kms(KEY));
    ObjectKey key = ObjectKey.of("artifacts/t/k/kms");
    try (S3Store store = S3Store.create(config)) {
      store.put(key, DeterministicBody.of(31, 2048).open(), PutOptions.ofLength(2048));
    }
    HeadObjectResponse head = admin.headObject(b -> b.bucket(config.bucket()).key(key.value()));
    assertThat(head.serverSideEncryptionAsString()).as("SSE type the server recorded").isEqualTo("aws:kms");
    assertThat(head.ssekmsKeyId()).as("KMS key the server recorded").isEqualTo(KEY);
  }

  @Test
  void aKmsKeyTheServerDoesNotKnowIsRefusedAndNothingIsWritten() {
    String unknown = "no-such-key";
    S3Config config = config(S3Encryption.kms(unknown));
    ObjectKey key = ObjectKey.of("artifacts/t/k/unknown-key");
    try (S3Store store = S3Store.create(config)) {
      assertThatThrownBy(() -> store.put(key, DeterministicBody.of(32, 16).open(), PutOptions.ofLength(16)))
          .as("put with an unknown KMS key").isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("400");
    }
    assertThat(admin.listObjectsV2(b -> b.bucket(config.bucket())).contents()).as("objects after the refused put")
        .isEmpty();
  }
}
