package io.grey.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import io.grey.testkit.DeterministicBody;
import io.grey.testkit.GcsEmulator;
import io.grey.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the GCS store does beyond the contract, observed on the emulator's side of the wire. */
class GcsStoreTest {
  private static final int CHUNK = 256 * 1024;
  private static final String KMS = "projects/grey-emulated/locations/global/keyRings/grey/cryptoKeys/storage";
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));

  @TempDir
  static Path dir;
  private static GcsEmulator emulator;
  private static Path key;

  @BeforeAll
  static void startEmulator() {
    emulator = GcsEmulator.start(null, CLOCK);
    key = emulator.writeServiceAccountKey(dir.resolve("sa.json"));
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  private static GcsStore open(GcsConfig config) {
    return GcsStore.create(config, CLOCK);
  }

  private static GcsConfig config() {
    return EmulatedGcs.config(emulator, emulator.newBucket(), key).withChunkSize(CHUNK);
  }

  private static HttpResponse<byte[]> fetch(HttpRequest request) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  @Test
  void aPresignedGetServesTheBytesToAPlainHttpClientAndATamperedOneIsRefused() throws Exception {
    try (GcsStore store = open(config())) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/report.txt");
      byte[] body = "signed bytes".getBytes(StandardCharsets.UTF_8);
      store.put(k, new java.io.ByteArrayInputStream(body), PutOptions.ofLength(body.length));
      URI url = store.presign(k, PresignRequest.get(Duration.ofMinutes(10)));

      assertThat(url.getQuery()).as("a V4 signed URL").contains("X-Goog-Algorithm=GOOG4-RSA-SHA256");
      HttpResponse<byte[]> ok = fetch(HttpRequest.newBuilder(url).GET().build());
      assertThat(ok.statusCode()).as("status of the signed GET").isEqualTo(200);
      assertThat(ok.body()).as("bytes served at the signed URL").isEqualTo(body);

      URI otherObject = URI.create(url.toString().replace("report.txt", "secret.txt"));
      assertThat(fetch(HttpRequest.newBuilder(otherObject).GET().build()).statusCode())
          .as("the same signature on another object").isEqualTo(403);
      String raw = url.toString();
      int sig = raw.indexOf("X-Goog-Signature=") + "X-Goog-Signature=".length();
      char flipped = raw.charAt(sig) == 'a' ? 'b' : 'a';
      URI tampered = URI.create(raw.substring(0, sig) + flipped + raw.substring(sig + 1));
      assertThat(fetch(HttpRequest.newBuilder(tampered).GET().build()).statusCode())
          .as("a signature with one hex digit changed").isEqualTo(403);
      URI longer = URI.create(raw.replace("X-Goog-Expires=600", "X-Goog-Expires=6000"));
      assertThat(fetch(HttpRequest.newBuilder(longer).GET().build()).statusCode())
          .as("a URL whose expiry was lengthened").isEqualTo(403);
    }
  }

  @Test
  void aPresignedUrlIsRefusedOnceItsTtlHasPassed() throws Exception {
    try (GcsStore store = open(config())) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/short-lived");
      store.put(k, DeterministicBody.of(1, 10).open(), PutOptions.ofLength(10));
      URI url = store.presign(k, PresignRequest.get(Duration.ofSeconds(30)));
      assertThat(fetch(HttpRequest.newBuilder(url).GET().build()).statusCode()).as("before expiry").isEqualTo(200);

      CLOCK.advance(Duration.ofSeconds(31));
      HttpResponse<byte[]> late = fetch(HttpRequest.newBuilder(url).GET().build());

      assertThat(late.statusCode()).as("status after the TTL").isEqualTo(403);
      assertThat(new String(late.body(), StandardCharsets.UTF_8)).as("error body").contains("ExpiredToken");
    }
  }

  @Test
  void aPresignedPutStoresTheBodyTheHolderSends() throws Exception {
    try (GcsStore store = open(config())) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/uploaded");
      URI url = store.presign(k, new PresignRequest(PresignRequest.Method.PUT, Duration.ofMinutes(5)));

      HttpResponse<byte[]> put = fetch(HttpRequest.newBuilder(url)
          .PUT(HttpRequest.BodyPublishers.ofString("from the holder")).build());

      assertThat(put.statusCode()).as("status of the signed PUT").isEqualTo(200);
      assertThat(new String(store.get(k).readAllBytes(), StandardCharsets.UTF_8)).as("stored body")
          .isEqualTo("from the holder");
    }
  }

  @Test
  void aTtlBeyondPresignMaxTtlIsRefused() {
    try (GcsStore store = open(config().withPresignMaxTtl(Duration.ofHours(1)))) {
      assertThatThrownBy(() -> store.presign(ObjectKey.of("artifacts/acme/t1/x"),
          PresignRequest.get(Duration.ofHours(2)))).as("a 2 h URL on a store limited to 1 h")
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("exceeds the configured maximum");
    }
  }

  @Test
  void theKmsKeyAndStorageClassReachTheServerOnSmallAndStagedPuts() {
    GcsConfig config = config().withKmsKey(KMS).withStorageClass("NEARLINE");
    try (GcsStore store = open(config)) {
      ObjectKey small = ObjectKey.of("artifacts/acme/t1/small");
      ObjectKey staged = ObjectKey.of("artifacts/acme/t1/staged");
      store.put(small, DeterministicBody.of(2, 100).open(), PutOptions.ofLength(100));
      store.put(staged, DeterministicBody.of(3, 3 * CHUNK + 5).open(), PutOptions.defaults());

      for (ObjectKey k : List.of(small, staged)) {
        JsonNode resource = emulator.objectResource(config.bucket(), store.objectName(k)).orElseThrow();
        assertThat(resource.path("kmsKeyName").asText()).as("kmsKeyName recorded for %s", k).startsWith(KMS);
        assertThat(resource.path("storageClass").asText()).as("storage class of %s", k).isEqualTo("NEARLINE");
      }
    }
  }

  @Test
  void sixteenRacersOnIfAbsentWithBodiesLongerThanAChunkHaveExactlyOneWinner() throws Exception {
    try (GcsStore store = open(config())) {
      ObjectKey k = ObjectKey.of("state/acme/leader");
      int racers = 16;
      CyclicBarrier gate = new CyclicBarrier(racers);
      List<Future<ObjectInfo>> futures = new ArrayList<>();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < racers; i++) {
          int racer = i;
          futures.add(threads.submit(() -> {
            gate.await(30, TimeUnit.SECONDS);
            return store.put(k, DeterministicBody.of(100 + racer, CHUNK + 1000).open(),
                PutOptions.ofLength(CHUNK + 1000).withCondition(WriteCondition.ifAbsent()));
          }));
        }
      }
      List<Integer> winners = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        try {
          futures.get(i).get();
          winners.add(i);
        } catch (ExecutionException e) {
          assertThat(e.getCause()).as("error of losing racer %d", i).isInstanceOf(PreconditionFailedException.class);
        }
      }
      assertThat(winners).as("racers whose if-absent put succeeded").hasSize(1);
      assertThat(store.get(k).readAllBytes()).as("stored body is the winner's")
          .isEqualTo(DeterministicBody.of(100 + winners.getFirst(), CHUNK + 1000).bytes());
      assertThat(emulator.objectNames(store.config().bucket())).as("objects left in the bucket")
          .containsExactly(store.objectName(k));
    }
  }

  @Test
  void aStagedBodyShorterThanDeclaredLeavesNoObjectAndNoStagingObject() {
    try (GcsStore store = open(config())) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/short");
      assertThatThrownBy(() -> store.put(k, DeterministicBody.of(4, 2 * CHUNK).open(),
          PutOptions.ofLength(2 * CHUNK + 1))).as("a body one byte short").isInstanceOf(InvalidRequestException.class);

      assertThat(emulator.objectNames(store.config().bucket())).as("objects after the refused put").isEmpty();
    }
  }

  @Test
  void throttlingIsARetryableThrottledErrorAndAnOutageARetryableUnavailableOne() {
    try (GcsStore store = open(config())) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/busy");
      emulator.failNext(429, 1);
      assertThatThrownBy(() -> store.head(k)).as("head answered 429")
          .isInstanceOfSatisfying(ThrottledException.class, e -> assertThat(e.retryable()).isTrue());
      emulator.failNext(503, 1);
      assertThatThrownBy(() -> store.put(k, DeterministicBody.of(5, 10).open(), PutOptions.ofLength(10)))
          .as("put answered 503")
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.retryable()).isTrue());

      assertThat(store.head(k)).as("nothing written by the failed put").isEmpty();
    }
  }

  @Test
  void setTagsKeepsTheGenerationAndRaisesTheMetageneration() {
    GcsConfig config = config();
    try (GcsStore store = open(config)) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/tagged");
      ObjectInfo put = store.put(k, DeterministicBody.of(6, 10).open(), PutOptions.ofLength(10)
          .withTags(Map.of("grey-tenant-id", "acme", "grey.io/tee", "sev")));

      store.setTags(k, Map.of("grey-task-id", "t1", "grey.io/tee", "snp"));

      JsonNode resource = emulator.objectResource(config.bucket(), store.objectName(k)).orElseThrow();
      assertThat(resource.path("generation").asText()).as("generation after setTags").isEqualTo(put.version());
      assertThat(resource.path("metageneration").asText()).as("metageneration after setTags").isEqualTo("2");
      assertThat(store.getTags(k)).as("tags, including a dotted key")
          .isEqualTo(Map.of("grey-task-id", "t1", "grey.io/tee", "snp"));
      assertThat(resource.path("metadata").path("grey:tag:grey-task-id").asText()).as("tag as custom metadata")
          .isEqualTo("t1");
    }
  }

  @Test
  void aMissingBucketIsCreatedInTheConfiguredLocation() {
    String bucket = "grey-created-" + Long.toHexString(System.nanoTime());
    GcsConfig config = EmulatedGcs.config(emulator, bucket, key);
    try (GcsStore store = open(config)) {
      assertThat(emulator.bucketResource(bucket)).as("bucket after opening the store").isPresent();
      assertThat(emulator.bucketResource(bucket).orElseThrow().path("location").asText()).isEqualTo("US");
    }
  }

  @Test
  void credentialsThatMayNotReadTheBucketStillUseItsObjects() {
    GcsConfig config = config();
    emulator.failNext(403, 1);
    try (GcsStore store = open(config)) {
      ObjectKey k = ObjectKey.of("artifacts/acme/t1/object-admin");
      store.put(k, DeterministicBody.of(7, 10).open(), PutOptions.ofLength(10));

      assertThat(store.head(k)).as("object written after the bucket read was refused").isPresent();
    }
  }

  @Test
  void anUnreadableKeyFileIsAConfigErrorThatDoesNotShowTheFile() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"type\":\"service_account\",\"private_key\":\"s3cr3t\"}");
    GcsConfig config = EmulatedGcs.config(emulator, emulator.newBucket(), bad);

    assertThatThrownBy(() -> open(config)).as("a key file without a usable key")
        .isInstanceOf(io.grey.core.ConfigException.class)
        .hasMessageContaining("gcp.credentials.service_account_key")
        .message().doesNotContain("s3cr3t");
  }
}
