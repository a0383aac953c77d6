package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.grey.core.AccessDeniedException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.DeterministicBody;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Azure-specific behaviour of {@link AzureBlobStore} against a real Azurite. */
class AzureBlobStoreTest {
  private static final int BLOCK = 64 * 1024;
  private static final AtomicInteger STORES = new AtomicInteger();
  private static AzuriteServer azurite;
  private String suffix;
  private AzureBlobStore store;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @BeforeEach
  void openStore() {
    store = open(AzuriteAccount.config(azurite).withBlockSize(BLOCK));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private AzureBlobStore open(AzureBlobConfig config) {
    suffix = "t" + ProcessHandle.current().pid() + "-" + STORES.incrementAndGet();
    return AzureBlobStore.create(config.withContainers("artifacts-" + suffix, "proofs-" + suffix, "state-" + suffix));
  }

  private static BlobServiceClient raw() {
    return new BlobServiceClientBuilder().endpoint(azurite.endpoint())
        .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.KEY)).buildClient();
  }

  @Test
  void multiBlockBodyOfUnknownLengthIsCommittedAsStagedBlocksAndRoundTripsWithItsDigest() {
    ObjectKey key = ObjectKey.of("artifacts/t/k/multi.bin");
    DeterministicBody body = DeterministicBody.of(1, 5L * BLOCK + 123);

    ObjectInfo put = store.put(key, body.open(), PutOptions.defaults().withMetadata(Map.of("build-id", "7")));

    assertThat(put.sha256()).as("sha256 of the multi-block body").isEqualTo(body.sha256());
    assertThat(store.head(key)).as("head after a multi-block put").contains(put);
    try (ObjectContent content = store.get(key)) {
      assertThat(content.readAllBytes()).as("bytes read back").isEqualTo(body.bytes());
    }
    var committed = raw().getBlobContainerClient("artifacts-" + suffix).getBlobClient(key.value())
        .getBlockBlobClient().listBlocks(BlockListType.ALL);
    assertThat(committed.getCommittedBlocks()).as("committed blocks of 5 x block_size + 123 bytes").hasSize(6);
    assertThat(committed.getUncommittedBlocks()).as("uncommitted blocks after the commit").isEmpty();
  }

  @Test
  void bodyOfExactlyOneBlockIsStoredWithOnePutBlob() {
    ObjectKey key = ObjectKey.of("artifacts/t/k/one-block.bin");
    DeterministicBody body = DeterministicBody.of(2, BLOCK);

    ObjectInfo put = store.put(key, body.open(), PutOptions.defaults());

    assertThat(put.sha256()).as("sha256 of a one-block body").isEqualTo(body.sha256());
    var blocks = raw().getBlobContainerClient("artifacts-" + suffix).getBlobClient(key.value())
        .getBlockBlobClient().listBlocks(BlockListType.ALL);
    assertThat(blocks.getCommittedBlocks()).as("a Put Blob leaves no block list").isEmpty();
  }

  @Test
  void uploadFailingMidwayLeavesThePreviousVersionIntactAndNothingVisible() {
    ObjectKey key = ObjectKey.of("artifacts/t/k/fragile.bin");
    DeterministicBody before = DeterministicBody.of(3, 3L * BLOCK);
    ObjectInfo previous = store.put(key, before.open(), PutOptions.defaults().withTags(Map.of("keep", "me")));
    ObjectKey fresh = ObjectKey.of("artifacts/t/k/never.bin");

    for (ObjectKey target : List.of(key, fresh)) {
      InputStream failing = new FailingAfter(DeterministicBody.of(4, 10L * BLOCK).open(), 4L * BLOCK + 17);
      assertThatThrownBy(() -> store.put(target, failing, PutOptions.defaults()))
          .as("a put whose body fails after four blocks").isInstanceOf(InvalidRequestException.class);
    }

    assertThat(store.head(key)).as("previous version after a failed upload").contains(previous);
    assertThat(store.getTags(key)).as("tags after a failed upload").isEqualTo(Map.of("keep", "me"));
    try (ObjectContent content = store.get(key)) {
      assertThat(content.readAllBytes()).as("previous body after a failed upload").isEqualTo(before.bytes());
    }
    assertThat(store.head(fresh)).as("a failed first upload leaves no object").isEmpty();
    assertThat(store.list(ListRequest.prefix("artifacts/t/k/")).objects()).as("listing after failed uploads")
        .extracting(ObjectInfo::key).containsExactly(key);
  }

  @Test
  void multiBlockBodyShorterThanItsDeclaredLengthCommitsNothing() {
    ObjectKey key = ObjectKey.of("artifacts/t/k/short.bin");

    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(5, 3L * BLOCK).open(),
        PutOptions.ofLength(3L * BLOCK + 1))).as("a multi-block body one byte short")
        .isInstanceOf(InvalidRequestException.class);

    assertThat(store.head(key)).as("object after a short multi-block body").isEmpty();
  }

  @Test
  void sixteenMultiBlockRacersOnIfAbsentHaveExactlyOneWinnerWithAnIntactBody() throws Exception {
    ObjectKey key = ObjectKey.of("artifacts/t/k/race.bin");
    List<Object> outcomes = race(16, i -> store.put(key, DeterministicBody.of(100 + i, 3L * BLOCK + i).open(),
        PutOptions.defaults().withCondition(WriteCondition.ifAbsent())));

    assertOneWinner(key, outcomes, 100);
  }

  @Test
  void sixteenMultiBlockRacersOnIfVersionHaveExactlyOneWinnerWithAnIntactBody() throws Exception {
    ObjectKey key = ObjectKey.of("artifacts/t/k/cas.bin");
    ObjectInfo base = store.put(key, DeterministicBody.of(199, 2L * BLOCK).open(), PutOptions.defaults());
    List<Object> outcomes = race(16, i -> store.put(key, DeterministicBody.of(200 + i, 3L * BLOCK + i).open(),
        PutOptions.defaults().withCondition(WriteCondition.ifVersion(base.version()))));

    assertOneWinner(key, outcomes, 200);
  }

  private void assertOneWinner(ObjectKey key, List<Object> outcomes, int seedBase) {
    List<Integer> winners = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof ObjectInfo) {
        winners.add(i);
      } else {
        assertThat(outcomes.get(i)).as("error of losing racer %d", i).isInstanceOf(PreconditionFailedException.class);
      }
    }
    assertThat(winners).as("racers whose conditional multi-block put succeeded").hasSize(1);
    int winner = winners.getFirst();
    assertThat(store.head(key)).as("stored info is the winner's").contains((ObjectInfo) outcomes.get(winner));
    try (ObjectContent content = store.get(key)) {
      assertThat(content.readAllBytes()).as("stored body is the winner's, whole and verified")
          .isEqualTo(DeterministicBody.of(seedBase + winner, 3L * BLOCK + winner).bytes());
    }
  }

  @Test
  void configuredAccessTierIsSetOnSingleAndMultiBlockPuts() {
    ObjectKey small = ObjectKey.of("artifacts/t/k/cool-small");
    ObjectKey large = ObjectKey.of("artifacts/t/k/cool-large");
    try (AzureBlobStore cool = open(AzuriteAccount.config(azurite).withBlockSize(BLOCK).withAccessTier("Cool"))) {
      cool.put(small, DeterministicBody.of(6, 10).open(), PutOptions.ofLength(10));
      cool.put(large, DeterministicBody.of(7, 3L * BLOCK).open(), PutOptions.defaults());
    }

    var container = raw().getBlobContainerClient("artifacts-" + suffix);
    assertThat(container.getBlobClient(small.value()).getProperties().getAccessTier())
        .as("tier of a single Put Blob").isEqualTo(com.azure.storage.blob.models.AccessTier.COOL);
    assertThat(container.getBlobClient(large.value()).getProperties().getAccessTier())
        .as("tier of a committed block list").isEqualTo(com.azure.storage.blob.models.AccessTier.COOL);
  }

  @Test
  void keysOfEachDataClassLiveInTheirOwnContainerAndListTogetherInOrder() {
    List<String> keys = List.of("artifacts/a/t/x", "other/x", "proofs/a/t/p1", "state/a/s", "stateless/y");
    for (String k : keys) {
      store.put(ObjectKey.of(k), InputStream.nullInputStream(), PutOptions.ofLength(0));
    }

    assertThat(store.list(new ListRequest("", "", 1000)).objects()).as("listing of every data class")
        .extracting(info -> info.key().value()).containsExactlyElementsOf(keys);
    assertThat(store.list(new ListRequest("", "other/x", 2)).objects()).as("page of two after other/x")
        .extracting(info -> info.key().value()).containsExactly("proofs/a/t/p1", "state/a/s");
    assertThat(store.list(ListRequest.prefix("state")).objects()).as("keys starting with 'state'")
        .extracting(info -> info.key().value()).containsExactly("state/a/s", "stateless/y");
    BlobServiceClient raw = raw();
    assertThat(raw.getBlobContainerClient("proofs-" + suffix).getBlobClient("proofs/a/t/p1").exists())
        .as("a proof is a blob of the proofs container, named by its whole key").isTrue();
    assertThat(raw.getBlobContainerClient("state-" + suffix).getBlobClient("other/x").exists())
        .as("a key outside the data classes is a blob of the state container").isTrue();
  }

  @Test
  void userMetadataIsStoredUnderReversibleAzureNamesAndListedLikeHead() {
    ObjectKey key = ObjectKey.of("artifacts/t/k/meta");
    Map<String, String> metadata = Map.of("build-id", "42", "stage_name", "rc", "a_d", "x", "a-u", "y");
    store.put(key, InputStream.nullInputStream(), PutOptions.ofLength(0).withMetadata(metadata)
        .withContentType("text/csv"));

    Map<String, String> azure = raw().getBlobContainerClient("artifacts-" + suffix).getBlobClient(key.value())
        .getProperties().getMetadata();
    assertThat(azure).as("Azure metadata names").containsOnlyKeys("u_build_did", "u_stage_uname", "u_a_ud",
        "u_a_du", "grey_sha256", "grey_size");
    ListPage page = store.list(ListRequest.prefix("artifacts/t/k/"));
    assertThat(page.objects()).as("listed info equals head, metadata and content type included")
        .containsExactly(store.head(key).orElseThrow());
    assertThat(page.objects().getFirst().metadata()).as("metadata listed").isEqualTo(metadata);
  }

  @Test
  void presignedUrlsServeReadsAndWritesAndATamperedSignatureIsRefused() throws Exception {
    ObjectKey key = ObjectKey.of("artifacts/t/k/shared.txt");
    byte[] text = "shared through a SAS".getBytes(StandardCharsets.UTF_8);
    store.put(key, new java.io.ByteArrayInputStream(text), PutOptions.ofLength(text.length));
    URI url = store.presign(key, PresignRequest.get(Duration.ofMinutes(5)));
    String signature = url.getRawQuery().replaceAll(".*sig=([^&]*).*", "$1");
    byte[] forged = Base64.getDecoder().decode(java.net.URLDecoder.decode(signature, StandardCharsets.UTF_8));
    forged[0] ^= 1;
    URI tampered = URI.create(url.toString().replace("sig=" + signature,
        "sig=" + java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(forged), StandardCharsets.UTF_8)));
    ObjectKey uploaded = ObjectKey.of("artifacts/t/k/uploaded.txt");
    URI put = store.presign(uploaded, new PresignRequest(PresignRequest.Method.PUT, Duration.ofMinutes(5)));

    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(ok.statusCode()).as("status of the presigned GET").isEqualTo(200);
      assertThat(ok.body()).as("body at the presigned URL").isEqualTo(text);
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(tampered).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("status of a GET with a tampered signature").isEqualTo(403);
      HttpResponse<String> written = http.send(HttpRequest.newBuilder(put).header("x-ms-blob-type", "BlockBlob")
          .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(written.statusCode()).as("status of the presigned PUT").isEqualTo(201);
    }
    assertThat(store.head(uploaded).orElseThrow().size()).as("size of the blob written through the SAS").isEqualTo(5);
  }

  @Test
  void presignLongerThanTheConfiguredMaximumIsAnInvalidRequest() {
    try (AzureBlobStore limited = open(AzuriteAccount.config(azurite).withPresignMaxTtl(Duration.ofMinutes(10)))) {
      assertThatThrownBy(() -> limited.presign(ObjectKey.of("artifacts/t/k/x"), PresignRequest.get(Duration.ofHours(1))))
          .as("a TTL above presign_max_ttl").isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void wrongAccountKeyIsAccessDeniedWithoutRevealingTheKey() {
    String wrong = Base64.getEncoder().encodeToString("not the key of devstoreaccount1 at all".getBytes(
        StandardCharsets.UTF_8));
    AzureBlobConfig config = AzureBlobConfig.of(AzuriteServer.ACCOUNT, wrong).withEndpoint(azurite.endpoint());

    assertThatThrownBy(() -> open(config)).as("opening a store with a wrong account key")
        .isInstanceOf(AccessDeniedException.class)
        .satisfies(e -> assertThat(e.getMessage()).as("message").doesNotContain(wrong).contains("403"));
  }

  @Test
  void connectionStringReachesTheSameAccount() {
    String connection = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
        + AzuriteServer.KEY + ";BlobEndpoint=" + azurite.endpoint() + ";";
    ObjectKey key = ObjectKey.of("artifacts/t/k/cs");
    try (AzureBlobStore viaConnectionString = open(AzureBlobConfig.ofConnectionString(connection))) {
      ObjectInfo put = viaConnectionString.put(key, InputStream.nullInputStream(), PutOptions.ofLength(0));
      assertThat(viaConnectionString.head(key)).as("head through a connection-string store").contains(put);
    }
  }

  /**
   * 512 MiB by default; {@code -Dgrey.azure.largeBytes=2147483648} runs the 2 GiB case, against an Azurite that
   * keeps blobs on disk (in memory, Azurite may hold at most half the machine's RAM).
   */
  @Test
  void largeBodyRoundTripsInAChildJvmWithAQuarterGibibyteHeap(@TempDir Path scratch) throws Exception {
    long size = Long.getLong("grey.azure.largeBytes", 512L * 1024 * 1024);
    AzuriteServer server = size > 1024L * 1024 * 1024 ? AzuriteServer.start(scratch.resolve("azurite")) : azurite;
    try {
      Path out = scratch.resolve("child.out");
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // The serial collector keeps the peak heap figure the child prints comparable with the S3 module's.
          "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), LargeRoundTrip.class.getName(),
          server.endpoint(), "large" + ProcessHandle.current().pid(), Long.toString(size))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean exited = child.waitFor(10, TimeUnit.MINUTES);
      if (!exited) {
        child.destroyForcibly();
      }
      String output = Files.readString(out);
      System.out.println("large round trip: " + output.strip());
      assertThat(exited).as("child JVM finished").isTrue();
      assertThat(child.exitValue()).as("exit status of the child JVM; output:%n%s", output).isZero();
      assertThat(output).as("child output").contains("OK " + size + " " + DeterministicBody.of(2026, size).sha256());
    } finally {
      if (server != azurite) {
        server.close();
      }
    }
  }

  @FunctionalInterface
  private interface Racer {
    ObjectInfo run(int racer) throws Exception;
  }

  /** Runs racers released together; each outcome is the racer's ObjectInfo or the Throwable it threw. */
  private static List<Object> race(int count, Racer racer) throws Exception {
    CyclicBarrier gate = new CyclicBarrier(count);
    List<Future<ObjectInfo>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(threads.submit(() -> {
          gate.await(60, TimeUnit.SECONDS);
          return racer.run(index);
        }));
      }
    }
    List<Object> outcomes = new ArrayList<>();
    for (Future<ObjectInfo> future : futures) {
      try {
        outcomes.add(future.get());
      } catch (java.util.concurrent.ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }

  /** A body whose source fails with an I/O error after {@code limit} bytes. */
  private static final class FailingAfter extends FilterInputStream {
    private long left;

    FailingAfter(InputStream in, long limit) {
      super(in);
      left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("client went away");
      }
      int n = super.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
