package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.AccessDeniedException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.Digests;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import io.grey.testkit.DeterministicBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** The S3 store's own paths against s3proxy: multipart, aborts, conditions on multipart, presign, errors. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3StoreTest {
  private static final int MIB = 1024 * 1024;
  private static S3ProxyServer server;

  @TempDir
  Path spill;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.startInMemory();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void freshBucket() {
    bucket = server.newBucket();
  }

  /** A store that switches to multipart above 5 MiB with 5 MiB parts, two in flight. */
  private S3Store multipartStore(ExecutionInterceptor... interceptors) {
    return S3Store.create(server.config(bucket).withSpillDir(spill)
        .withMultipart(S3Config.MIN_PART_SIZE, S3Config.MIN_PART_SIZE, 2), List.of(interceptors));
  }

  @Test
  void bodyAboveTheThresholdRoundTripsThroughMultipartWithItsDigestAndMetadata() throws IOException {
    DeterministicBody body = DeterministicBody.of(1, 12 * MIB + 3);
    ObjectKey key = ObjectKey.of("big/known");
    try (S3Store store = multipartStore()) {
      ObjectInfo put = store.put(key, body.open(), PutOptions.ofLength(body.size()).withContentType("text/plain")
          .withMetadata(Map.of("build-id", "7")));

      assertThat(put.sha256()).as("sha256 of a multipart put").isEqualTo(body.sha256());
      assertThat(put.version()).as("a multipart ETag names its part count (3 parts of 5 MiB)").endsWith("-3");
      assertThat(store.head(key)).as("head after a multipart put").contains(put);
      try (ObjectContent content = store.get(key)) {
        assertThat(sha256Of(content.stream())).as("digest of the bytes read back").isEqualTo(body.sha256());
      }
    }
    assertThat(spillFiles()).as("spill files left after the put").isEmpty();
  }

  @Test
  void bodyOfUnknownLengthAboveTheThresholdSpillsAndRoundTrips() throws IOException {
    DeterministicBody body = DeterministicBody.of(2, 11 * MIB);
    ObjectKey key = ObjectKey.of("big/unknown");
    try (S3Store store = multipartStore()) {
      ObjectInfo put = store.put(key, body.open(), PutOptions.defaults());

      assertThat(put.size()).as("size of an unknown-length multipart put").isEqualTo(body.size());
      assertThat(put.version()).as("ETag of a 3-part upload").endsWith("-3");
      try (ObjectContent content = store.get(key)) {
        assertThat(sha256Of(content.stream())).as("digest of the bytes read back").isEqualTo(body.sha256());
      }
    }
    assertThat(spillFiles()).as("spill files left after the put").isEmpty();
  }

  @Test
  void failedPartAbortsTheUploadLeavingNoPartsNoObjectAndNoSpillFile() throws IOException {
    AtomicInteger parts = new AtomicInteger();
    ExecutionInterceptor failSecondPart = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof UploadPartRequest && parts.incrementAndGet() == 2) {
          throw SdkClientException.create("injected failure of the second part");
        }
      }
    };
    ObjectKey key = ObjectKey.of("big/failed");
    try (S3Store store = multipartStore(failSecondPart)) {
      assertThatThrownBy(() -> store.put(key, DeterministicBody.of(3, 16 * MIB).open(), PutOptions.ofLength(16 * MIB)))
          .as("a put whose second part fails").isInstanceOf(StoreUnavailableException.class);

      assertThat(store.head(key)).as("object after a failed multipart put").isEmpty();
    }
    assertThat(server.admin().listMultipartUploads(b -> b.bucket(bucket)).uploads())
        .as("multipart uploads left in the bucket after the failure").isEmpty();
    assertThat(parts.get()).as("parts attempted before the failure stopped the upload").isGreaterThanOrEqualTo(2);
    assertThat(spillFiles()).as("spill files left after the failed put").isEmpty();
  }

  @Test
  void ifAbsentOnAnExistingKeyFailsOnTheMultipartPathAndLeavesNoUpload() {
    ObjectKey key = ObjectKey.of("big/taken");
    DeterministicBody first = DeterministicBody.of(4, 6 * MIB);
    try (S3Store store = multipartStore()) {
      ObjectInfo before = store.put(key, first.open(), PutOptions.ofLength(first.size()));

      assertThatThrownBy(() -> store.put(key, DeterministicBody.of(5, 6 * MIB).open(),
          PutOptions.ofLength(6 * MIB).withCondition(WriteCondition.ifAbsent())))
          .as("multipart if-absent on an existing key").isInstanceOf(PreconditionFailedException.class);

      assertThat(store.head(key)).as("object after the refused write").contains(before);
    }
    assertThat(server.admin().listMultipartUploads(b -> b.bucket(bucket)).uploads())
        .as("uploads left after a refused completion").isEmpty();
  }

  @Test
  void ifVersionOnTheMultipartPathSucceedsWithTheCurrentVersionAndFailsWithAStaleOne() {
    ObjectKey key = ObjectKey.of("big/cas");
    try (S3Store store = multipartStore()) {
      ObjectInfo first = store.put(key, DeterministicBody.of(6, 6 * MIB).open(), PutOptions.ofLength(6 * MIB));
      DeterministicBody next = DeterministicBody.of(7, 6 * MIB);
      ObjectInfo second = store.put(key, next.open(),
          PutOptions.ofLength(6 * MIB).withCondition(WriteCondition.ifVersion(first.version())));

      assertThat(second.sha256()).as("sha256 after a multipart compare-and-swap").isEqualTo(next.sha256());
      assertThatThrownBy(() -> store.put(key, DeterministicBody.of(8, 6 * MIB).open(),
          PutOptions.ofLength(6 * MIB).withCondition(WriteCondition.ifVersion(first.version()))))
          .as("multipart if-version with a superseded version").isInstanceOf(PreconditionFailedException.class);
      assertThat(store.head(key)).as("object after the stale compare-and-swap").contains(second);
    }
  }

  @Test
  void sixteenMultipartRacersOnIfAbsentHaveExactlyOneWinner() throws Exception {
    ObjectKey key = ObjectKey.of("big/race");
    int racers = 16;
    long size = S3Config.MIN_PART_SIZE + 1;
    CyclicBarrier gate = new CyclicBarrier(racers);
    List<Future<ObjectInfo>> futures = new ArrayList<>();
    try (S3Store store = multipartStore()) {
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < racers; i++) {
          int racer = i;
          futures.add(threads.submit(() -> {
            gate.await(60, TimeUnit.SECONDS);
            return store.put(key, DeterministicBody.of(100 + racer, size).open(),
                PutOptions.ofLength(size).withCondition(WriteCondition.ifAbsent()));
          }));
        }
      }
      List<ObjectInfo> winners = new ArrayList<>();
      for (Future<ObjectInfo> future : futures) {
        if (future.state() == Future.State.SUCCESS) {
          winners.add(future.resultNow());
        } else {
          assertThat(future.exceptionNow()).as("error of a losing racer")
              .isInstanceOf(PreconditionFailedException.class);
        }
      }
      assertThat(winners).as("multipart racers whose if-absent put succeeded").hasSize(1);
      assertThat(store.head(key)).as("stored info is the winner's").contains(winners.getFirst());
    }
    assertThat(server.admin().listMultipartUploads(b -> b.bucket(bucket)).uploads())
        .as("uploads left by the losers").isEmpty();
  }

  @Test
  void presignedGetServesTheBytesAndATamperedUrlIsRefused() throws Exception {
    DeterministicBody body = DeterministicBody.of(9, 1000);
    ObjectKey key = ObjectKey.of("shared/file");
    try (S3Store store = S3Store.create(server.config(bucket));
        HttpClient http = HttpClient.newHttpClient()) {
      store.put(key, body.open(), PutOptions.ofLength(1000));
      URI url = store.presign(key, PresignRequest.get(Duration.ofMinutes(5)));

      HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(ok.statusCode()).as("status of the presigned GET").isEqualTo(200);
      assertThat(ok.body()).as("bytes of the presigned GET").isEqualTo(body.bytes());

      URI otherKey = URI.create(url.toString().replace("/shared/file?", "/shared/filf?"));
      URI otherSignature = URI.create(url.toString().replaceAll("X-Amz-Signature=(.)",
          "X-Amz-Signature=" + (url.toString().contains("X-Amz-Signature=0") ? "1" : "0")));
      for (URI tampered : List.of(otherKey, otherSignature)) {
        HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(tampered).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).as("status of the tampered URL %s", tampered).isEqualTo(403);
      }
    }
  }

  @Test
  void presignedPutStoresTheUploadedBytes() throws Exception {
    ObjectKey key = ObjectKey.of("shared/upload");
    byte[] bytes = DeterministicBody.of(10, 300).bytes();
    try (S3Store store = S3Store.create(server.config(bucket));
        HttpClient http = HttpClient.newHttpClient()) {
      URI url = store.presign(key, new PresignRequest(PresignRequest.Method.PUT, Duration.ofMinutes(5)));

      HttpResponse<String> put = http.send(HttpRequest.newBuilder(url)
          .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as("status of the presigned PUT: %s", put.body()).isEqualTo(200);
      assertThat(store.head(key).orElseThrow().size()).as("size of the object uploaded by URL").isEqualTo(300);
    }
  }

  @Test
  void presignTtlBeyondTheConfiguredMaximumIsAnInvalidRequest() {
    try (S3Store store = S3Store.create(server.config(bucket).withPresignMaxTtl(Duration.ofHours(1)))) {
      assertThatThrownBy(() -> store.presign(ObjectKey.of("x"), PresignRequest.get(Duration.ofHours(2))))
          .as("presign for longer than presign_max_ttl").isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("presign_max_ttl");
    }
  }

  @Test
  void wrongSecretIsAccessDeniedAndTheMessageHoldsNoSecret() {
    String wrong = "not-the-secret-9f8e7d6c5b4a";
    try (S3Store store = S3Store.create(server.config(bucket)
        .withCredentials(S3Credentials.of(S3ProxyServer.ACCESS_KEY, wrong)))) {
      assertThatThrownBy(() -> store.head(ObjectKey.of("any")))
          .as("head with a wrong secret").isInstanceOf(AccessDeniedException.class)
          .satisfies(e -> assertThat(e.getMessage()).as("error message").doesNotContain(wrong)
              .doesNotContain(S3ProxyServer.SECRET_KEY));
    }
  }

  @Test
  void unreachableServerIsStoreUnavailableAndRetryable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    S3Config config = server.config(bucket).withEndpoint("http://127.0.0.1:" + port, true);
    try (S3Store store = S3Store.create(config)) {
      assertThatThrownBy(() -> store.head(ObjectKey.of("any"))).as("head against a closed port")
          .isInstanceOf(StoreUnavailableException.class)
          .satisfies(e -> assertThat(((StoreUnavailableException) e).retryable()).as("retryable").isTrue());
    }
  }

  @Test
  void putWithTagsWhenTaggingIsOffIsRefusedAndWritesNothing() {
    ObjectKey key = ObjectKey.of("tagged");
    try (S3Store store = S3Store.create(server.config(bucket))) {
      assertThatThrownBy(() -> store.put(key, InputStream.nullInputStream(),
          PutOptions.ofLength(0).withTags(Map.of("grey-tenant-id", "acme"))))
          .as("put with tags on a store without tagging").isInstanceOf(InvalidRequestException.class);
      assertThat(store.head(key)).as("object after the refused put").isEmpty();
      assertThat(store.capabilities().tags()).as("tags capability with aws.s3.tags off").isFalse();
    }
  }

  @Test
  void reservedMetadataKeyIsRefused() {
    try (S3Store store = S3Store.create(server.config(bucket))) {
      assertThatThrownBy(() -> store.put(ObjectKey.of("m"), InputStream.nullInputStream(),
          PutOptions.ofLength(0).withMetadata(Map.of("grey-sha256", "forged"))))
          .as("put with the store's own digest key as metadata").isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void keysLiveUnderTheConfiguredPrefixInTheBucket() {
    try (S3Store store = S3Store.create(server.config(bucket).withPrefix("tenants/grey/"))) {
      store.put(ObjectKey.of("a/b"), InputStream.nullInputStream(), PutOptions.ofLength(0));

      assertThat(server.admin().listObjectsV2(b -> b.bucket(bucket)).contents())
          .as("bucket keys").extracting(o -> o.key()).containsExactly("tenants/grey/a/b");
      assertThat(store.list(io.grey.core.store.ListRequest.prefix("a/")).objects())
          .as("listing through the store").extracting(info -> info.key().value()).containsExactly("a/b");
    }
  }

  /** Records every HTTP request the SDK transmits: operation name and the request itself. */
  private static final class Recorder implements ExecutionInterceptor {
    final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<SdkHttpRequest> http = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      sent.add(context.request().getClass().getSimpleName());
      http.add(context.httpRequest());
    }
  }

  @Test
  void rangeStartingAtTheSizeIsServedWithoutAskingS3ForAnInvalidRange() {
    Recorder recorder = new Recorder();
    ObjectKey key = ObjectKey.of("ranged");
    try (S3Store store = S3Store.create(server.config(bucket), List.of(recorder))) {
      store.put(key, DeterministicBody.of(11, 100).open(), PutOptions.ofLength(100));
      recorder.sent.clear();

      try (ObjectContent content = store.get(key, io.grey.core.store.ReadRange.from(100))) {
        assertThat(content.readAllBytes()).as("bytes from offset == size").isEmpty();
      }
      assertThat(recorder.sent).as("requests sent for a read at offset == size").containsExactly("HeadObjectRequest");
    }
  }

  @Test
  void singlePutSendsTheBodysSha256ForS3ToCheck() {
    Recorder recorder = new Recorder();
    DeterministicBody body = DeterministicBody.of(12, 1000);
    try (S3Store store = S3Store.create(server.config(bucket), List.of(recorder))) {
      store.put(ObjectKey.of("checked"), body.open(), PutOptions.ofLength(1000));
    }
    String expected = java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(body.sha256()));
    SdkHttpRequest put = recorder.http.stream().filter(r -> r.method() == SdkHttpMethod.PUT).findFirst().orElseThrow();
    assertThat(put.firstMatchingHeader("x-amz-checksum-sha256")).as("x-amz-checksum-sha256 of the PUT")
        .contains(expected);
    assertThat(put.firstMatchingHeader("x-amz-meta-grey-sha256")).as("x-amz-meta-grey-sha256 of the PUT")
        .contains(body.sha256());
  }

  @Test
  void serverErrorIsStoreUnavailableAfterExactlyOneAttempt() {
    Recorder recorder = new Recorder();
    try (S3Store store = S3Store.create(server.config(bucket), List.of(recorder))) {
      store.put(ObjectKey.of("a/b"), InputStream.nullInputStream(), PutOptions.ofLength(0));
      recorder.sent.clear();

      // s3proxy's in-memory file system cannot put a/b/c under the file a/b and answers HTTP 500.
      assertThatThrownBy(() -> store.put(ObjectKey.of("a/b/c"), InputStream.nullInputStream(), PutOptions.ofLength(0)))
          .as("put answered with HTTP 500").isInstanceOf(StoreUnavailableException.class).hasMessageContaining("500");
      assertThat(recorder.sent).as("attempts of the failed put (the SDK must not retry)")
          .containsExactly("PutObjectRequest");
    }
  }

  private List<Path> spillFiles() throws IOException {
    try (Stream<Path> files = Files.list(spill)) {
      return files.toList();
    }
  }

  private static String sha256Of(InputStream in) throws IOException {
    MessageDigest digest = Digests.sha256();
    byte[] buf = new byte[256 * 1024];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      digest.update(buf, 0, n);
    }
    return Digests.hex(digest);
  }
}
