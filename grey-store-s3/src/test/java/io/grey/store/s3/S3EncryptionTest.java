package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.testkit.DeterministicBody;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code aws.s3.encryption} against s3proxy, which records the SSE headers of a write and answers them on HEAD
 * (it encrypts nothing: the key only has to reach the server). Which request carries the headers is read off
 * each real HTTP request as it leaves for s3proxy. That a server refuses a KMS key it does not know is shown
 * against S3Mock in {@link S3MockEncryptionTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3EncryptionTest {
  private static final int MIB = 1024 * 1024;
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/grey-test-key";
  private static S3ProxyServer server;

  @TempDir
  Path spill;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.startInMemory();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void sseKmsHeadersNameTheKeyOnASinglePutAndTheObjectRoundTrips() throws IOException {
    Sent sent = new Sent();
    DeterministicBody body = DeterministicBody.of(21, 4096);
    ObjectKey key = ObjectKey.of("artifacts/t/k/kms");
    try (S3Store store = S3Store.create(server.config(server.newBucket())
        .withEncryption(S3Encryption.kms(KEY).withBucketKey()), List.of(sent))) {
      ObjectInfo put = store.put(key, body.open(), PutOptions.ofLength(body.size()));

      SdkHttpRequest request = sent.only("PutObjectRequest");
      assertThat(request.firstMatchingHeader("x-amz-server-side-encryption")).as("SSE type on the PUT")
          .contains("aws:kms");
      assertThat(request.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id")).as("KMS key on the PUT")
          .contains(KEY);
      assertThat(request.firstMatchingHeader("x-amz-server-side-encryption-bucket-key-enabled"))
          .as("bucket key flag on the PUT").contains("true");
      try (ObjectContent content = store.get(key)) {
        assertThat(content.readAllBytes()).as("body read back").isEqualTo(body.bytes());
      }
      assertThat(store.head(key)).as("head after an encrypted put").contains(put);
      HeadObjectResponse recorded = server.admin().headObject(b -> b.bucket(store.config().bucket()).key(key.value()));
      assertThat(recorded.serverSideEncryptionAsString()).as("SSE type the server recorded").isEqualTo("aws:kms");
      assertThat(recorded.ssekmsKeyId()).as("KMS key the server recorded").isEqualTo(KEY);
      assertThat(recorded.bucketKeyEnabled()).as("bucket key flag the server recorded").isTrue();
    }
  }

  @Test
  void aMultipartUploadTakesTheKeyAtCreationAndItsPartsCarryNone() throws IOException {
    Sent sent = new Sent();
    DeterministicBody body = DeterministicBody.of(22, 11 * MIB);
    ObjectKey key = ObjectKey.of("artifacts/t/k/kms-multipart");
    try (S3Store store = S3Store.create(server.config(server.newBucket()).withSpillDir(spill)
        .withMultipart(S3Config.MIN_PART_SIZE, S3Config.MIN_PART_SIZE, 2)
        .withEncryption(S3Encryption.kms(KEY)), List.of(sent))) {
      store.put(key, body.open(), PutOptions.ofLength(body.size()));

      SdkHttpRequest create = sent.only("CreateMultipartUploadRequest");
      assertThat(create.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id"))
          .as("KMS key on CreateMultipartUpload").contains(KEY);
      assertThat(create.firstMatchingHeader("x-amz-server-side-encryption-bucket-key-enabled"))
          .as("no bucket key flag unless asked").isEmpty();
      assertThat(sent.all("UploadPartRequest")).as("parts sent").hasSize(3)
          .allSatisfy(part -> assertThat(part.firstMatchingHeader("x-amz-server-side-encryption"))
              .as("SSE header on a part (S3 refuses it there)").isEmpty());
      try (ObjectContent content = store.get(key)) {
        assertThat(content.readAllBytes()).as("body read back").isEqualTo(body.bytes());
      }
      HeadObjectResponse recorded = server.admin().headObject(b -> b.bucket(store.config().bucket()).key(key.value()));
      assertThat(recorded.ssekmsKeyId()).as("KMS key the server recorded for the completed upload").isEqualTo(KEY);
    }
  }

  @Test
  void sseS3SendsAes256AndNoKey() {
    Sent sent = new Sent();
    try (S3Store store = S3Store.create(server.config(server.newBucket()).withEncryption(S3Encryption.s3Managed()),
        List.of(sent))) {
      store.put(ObjectKey.of("artifacts/t/k/aes"), DeterministicBody.of(23, 10).open(), PutOptions.ofLength(10));
    }
    SdkHttpRequest put = sent.only("PutObjectRequest");
    assertThat(put.firstMatchingHeader("x-amz-server-side-encryption")).as("SSE type").contains("AES256");
    assertThat(put.firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id")).as("KMS key").isEmpty();
  }

  @Test
  void withoutEncryptionConfiguredNoHeaderIsSentSoTheBucketDefaultApplies() {
    Sent sent = new Sent();
    try (S3Store store = S3Store.create(server.config(server.newBucket()), List.of(sent))) {
      store.put(ObjectKey.of("artifacts/t/k/plain"), DeterministicBody.of(24, 10).open(), PutOptions.ofLength(10));
    }
    assertThat(sent.only("PutObjectRequest").headers().keySet()).as("headers of the PUT")
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-server-side-encryption"));
  }

  /** Every HTTP request as it leaves for the server, with the name of the SDK request it carries. */
  private static final class Sent implements ExecutionInterceptor {
    private final List<String> names = new CopyOnWriteArrayList<>();
    private final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      names.add(context.request().getClass().getSimpleName());
      requests.add(context.httpRequest());
    }

    List<SdkHttpRequest> all(String name) {
      List<SdkHttpRequest> matching = new java.util.ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equals(name)) {
          matching.add(requests.get(i));
        }
      }
      return matching;
    }

    SdkHttpRequest only(String name) {
      List<SdkHttpRequest> matching = all(name);
      assertThat(matching).as("%s requests sent (of %s)", name, names).hasSize(1);
      return matching.getFirst();
    }
  }
}
