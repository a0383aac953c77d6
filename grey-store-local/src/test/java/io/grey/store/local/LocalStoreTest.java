package io.grey.store.local;

import io.grey.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.Digests;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LocalStoreTest {
  @TempDir Path scratch;
  private Path root;
  private LocalStore store;

  @BeforeEach
  void openStore() {
    root = scratch.resolve("objects");
    store = LocalStore.open(LocalStoreOptions.of(root));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private ObjectInfo put(String key, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return store.put(ObjectKey.of(key), new ByteArrayInputStream(bytes), PutOptions.ofLength(bytes.length));
  }

  private String read(String key) {
    try (ObjectContent content = store.get(ObjectKey.of(key))) {
      return new String(content.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private List<String> listKeys(String prefix, String startAfter, int limit) {
    return store.list(new ListRequest(prefix, startAfter, limit)).objects().stream()
        .map(o -> o.key().value()).toList();
  }

  private List<String> listAllByPages(String prefix, int pageSize) {
    List<String> keys = new ArrayList<>();
    ListRequest request = new ListRequest(prefix, "", pageSize);
    while (true) {
      ListPage page = store.list(request);
      page.objects().forEach(o -> keys.add(o.key().value()));
      if (page.next().isEmpty()) {
        return keys;
      }
      request = request.after(page.nextToken());
    }
  }

  @Test
  void headReturnsTheInfoThatPutReturned() {
    ObjectKey key = ObjectKey.of("artifacts/acme/t1/report.json");
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    PutOptions options = PutOptions.ofLength(body.length).withContentType("application/json")
        .withMetadata(Map.of("build", "42")).withTags(Map.of("grey-tenant-id", "acme"));

    ObjectInfo written = store.put(key, new ByteArrayInputStream(body), options);

    assertThat(store.head(key)).as("head after put").contains(written);
    assertThat(written.sha256()).isEqualTo(Digests.sha256Hex(body));
    assertThat(written.size()).isEqualTo(body.length);
    assertThat(written.contentType()).isEqualTo("application/json");
    assertThat(written.metadata()).containsExactly(Map.entry("build", "42"));
    assertThat(store.getTags(key)).as("tags given at put").containsExactly(Map.entry("grey-tenant-id", "acme"));
  }

  @Test
  void metadataWithQuotesBackslashesAndUnicodeRoundTrips() {
    ObjectKey key = ObjectKey.of("meta/\"quoted\" \ud83d\ude00");
    PutOptions options = PutOptions.ofLength(1).withContentType("text/plain; name=\"a\\b\"\u0001")
        .withMetadata(Map.of("note", "line\nbreak \"q\" \\ \u00e9\ud83d\ude00", "empty", ""));

    ObjectInfo written = store.put(key, new ByteArrayInputStream(new byte[] {1}), options);

    assertThat(store.head(key)).as("head equals put for awkward strings").contains(written);
    assertThat(written.metadata()).containsEntry("note", "line\nbreak \"q\" \\ \u00e9\ud83d\ude00");
    assertThat(written.contentType()).isEqualTo("text/plain; name=\"a\\b\"\u0001");
  }

  @Test
  void overwriteIsSeenWholeOrNotAtAllByConcurrentReaders() throws Exception {
    ObjectKey key = ObjectKey.of("atomic/replace");
    byte[] a = new byte[512 * 1024];
    byte[] b = new byte[700 * 1024];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    store.put(key, new ByteArrayInputStream(a), PutOptions.ofLength(a.length));
    AtomicBoolean writing = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
    int[] reads = new int[1];
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var reader = executor.submit(() -> {
        while (writing.get()) {
          byte[] got = store.get(key).readAllBytes();
          boolean allA = got.length == a.length && Arrays.equals(got, a);
          boolean allB = got.length == b.length && Arrays.equals(got, b);
          if (!allA && !allB) {
            torn.add("read " + got.length + " bytes that are neither version");
          }
          reads[0]++;
        }
        return null;
      });
      for (int i = 0; i < 40; i++) {
        byte[] body = i % 2 == 0 ? b : a;
        store.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
      }
      writing.set(false);
      reader.get();
    }
    assertThat(torn).as("every read sees one whole version").isEmpty();
    assertThat(reads[0]).as("the reader ran during the overwrites").isPositive();
  }

  @Test
  void staleTempFilesAreRemovedOnOpenAndFreshOnesKept() throws IOException {
    put("k/one", "1");
    Path dir = store.dataFile(ObjectKey.of("k/one")).getParent();
    Path stale = dir.resolve(LocalStore.TEMP_PREFIX + "stale");
    Path fresh = dir.resolve(LocalStore.TEMP_PREFIX + "fresh");
    Files.write(stale, new byte[] {1, 2, 3});
    Files.write(fresh, new byte[] {4, 5, 6});
    Instant now = Instant.parse("2026-06-01T12:00:00Z");
    Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofMinutes(61))));
    Files.setLastModifiedTime(fresh, FileTime.from(now.minus(Duration.ofMinutes(59))));
    store.close();

    store = LocalStore.open(LocalStoreOptions.of(root).withClock(new MutableClock(now)));

    assertThat(stale).as("temp file older than an hour").doesNotExist();
    assertThat(fresh).as("temp file younger than an hour").exists();
    assertThat(listKeys("", "", 1000)).as("temp files are never listed").containsExactly("k/one");
  }

  @Test
  void keysAndTheirChildKeysCoexist() {
    put("a/b", "parent");
    put("a/b/c", "child");
    put("a", "root");

    assertThat(read("a/b")).isEqualTo("parent");
    assertThat(read("a/b/c")).isEqualTo("child");
    assertThat(read("a")).isEqualTo("root");
    assertThat(store.delete(ObjectKey.of("a/b"))).as("a/b existed").isTrue();
    assertThat(read("a/b/c")).as("child survives deleting the parent key").isEqualTo("child");
    assertThat(store.head(ObjectKey.of("a/b"))).isEmpty();
    assertThat(listKeys("", "", 1000)).containsExactly("a", "a/b/c");
  }

  @Test
  void segmentsOf255BytesWork() {
    String ascii = "x".repeat(255);
    String multibyte = "\u00e9".repeat(127) + "z";
    assertThat(multibyte.getBytes(StandardCharsets.UTF_8)).hasSize(255);
    List<String> keys = List.of(ascii, ascii + "/" + multibyte, multibyte + "/" + ascii + "/leaf");

    keys.forEach(k -> put(k, "body of " + k.length()));

    keys.forEach(k -> assertThat(read(k)).as("read back %s", k).isEqualTo("body of " + k.length()));
    assertThat(listKeys("", "", 1000)).containsExactlyElementsOf(keys.stream()
        .sorted(ObjectKey.LEXICOGRAPHIC).toList());
  }

  @Test
  void unicodeKeysRoundTrip() {
    List<String> keys = List.of("t/\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb", "t/emoji \ud83d\ude00.txt",
        "t/caf\u00e9", "t/cafe\u0301", "t/spaces and: colons; %41");
    keys.forEach(k -> put(k, k));

    keys.forEach(k -> assertThat(read(k)).as("body of %s", k).isEqualTo(k));
    assertThat(listKeys("t/", "", 1000)).containsExactlyElementsOf(keys.stream()
        .sorted(ObjectKey.LEXICOGRAPHIC).toList());
  }

  @Test
  void listingFollowsCodePointOrderAcrossTrickyNames() {
    List<String> keys = List.of("a/b", "a/b.c", "a/b/c", "a/b/c/d", "a/b-c", "a/b c", "a/bc", "a/b.c/d",
        "a/b\uffff", "a/b\ud83d\ude00", "a/b0", "a/a", "a/b/!", "ab", "a-b/x", "a.b");
    keys.forEach(k -> put(k, k));
    List<String> expected = keys.stream().sorted(ObjectKey.LEXICOGRAPHIC).toList();

    assertThat(listKeys("", "", 1000)).as("one page").containsExactlyElementsOf(expected);
    assertThat(listAllByPages("", 1)).as("pages of one").containsExactlyElementsOf(expected);
    assertThat(listAllByPages("a/b", 3)).as("prefix a/b in pages of three")
        .containsExactlyElementsOf(expected.stream().filter(k -> k.startsWith("a/b")).toList());
    assertThat(listKeys("a/", "a/b.c", 1000)).as("strictly after a/b.c")
        .containsExactlyElementsOf(expected.stream().filter(k -> k.startsWith("a/"))
            .filter(k -> ObjectKey.LEXICOGRAPHIC.compare(k, "a/b.c") > 0).toList());
    assertThat(listKeys("a/b/", "a/b/c/", 1000)).as("after a non-key token").containsExactly("a/b/c/d");
  }

  @Test
  void tenThousandKeysListInPagesQuickly() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      keys.add("many/" + (i % 10) + "/key-" + i);
    }
    // Durability is not under test here, so the bulk load skips fsync to keep the test short.
    try (LocalStore loader = LocalStore.open(LocalStoreOptions.of(root), false);
        var executor = Executors.newFixedThreadPool(2)) {
      List<java.util.concurrent.Future<ObjectInfo>> puts = new ArrayList<>();
      for (String k : keys) {
        puts.add(executor.submit(() -> loader.put(ObjectKey.of(k), new ByteArrayInputStream(new byte[] {'v'}),
            PutOptions.ofLength(1))));
      }
      for (var f : puts) {
        f.get();
      }
    }
    put("other/key", "not under the prefix");

    long start = System.nanoTime();
    List<String> listed = new ArrayList<>();
    int pages = 0;
    ListRequest request = new ListRequest("many/", "", 1000);
    while (true) {
      Listing listing = store.listing(request);
      ListPage page = listing.page();
      pages++;
      // limit + 1 objects, plus a look for an object at each of the 10 directories on the way.
      assertThat(listing.trailersRead()).as("page %d reads only its own objects", pages)
          .isLessThanOrEqualTo(1001 + 10);
      assertThat(listing.directoriesRead()).as("page %d reads at most its own key directories and its path", pages)
          .isLessThanOrEqualTo(1000 + 4);
      page.objects().forEach(o -> listed.add(o.key().value()));
      if (page.next().isEmpty()) {
        break;
      }
      assertThat(page.nextToken()).isEqualTo(page.objects().getLast().key().value());
      request = request.after(page.nextToken());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(listed).as("every key once, in order").containsExactlyElementsOf(
        keys.stream().sorted(ObjectKey.LEXICOGRAPHIC).toList());
    assertThat(pages).isEqualTo(10);
    // Under a second on a quiet two-core machine; the work counters above are the real check, this bound only
    // catches a gross regression on a loaded build host.
    assertThat(took).as("10 pages of 1000 keys").isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void versionsStayUniqueAcrossIdenticalWritesDeletesAndReopens() {
    MutableClock frozen = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    store.close();
    store = LocalStore.open(LocalStoreOptions.of(root).withClock(frozen));
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      versions.add(put("v/key", "same bytes").version());
    }
    store.delete(ObjectKey.of("v/key"));
    versions.add(put("v/key", "same bytes").version());
    store.close();
    store = LocalStore.open(LocalStoreOptions.of(root).withClock(frozen));
    store.delete(ObjectKey.of("v/key"));
    versions.add(put("v/key", "same bytes").version());

    assertThat(versions).as("seven writes under a frozen clock, two opens").hasSize(7);
  }

  @Test
  void ifAbsentAndIfVersionRefuseWithoutWriting() {
    ObjectInfo first = put("cas/key", "one");
    ObjectKey key = ObjectKey.of("cas/key");
    byte[] two = "two".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(two),
        PutOptions.ofLength(3).withCondition(WriteCondition.ifAbsent())))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(two),
        PutOptions.ofLength(3).withCondition(WriteCondition.ifVersion("not-" + first.version()))))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> store.put(ObjectKey.of("cas/absent"), new ByteArrayInputStream(two),
        PutOptions.ofLength(3).withCondition(WriteCondition.ifVersion(first.version()))))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(read("cas/key")).as("unchanged after refused writes").isEqualTo("one");
    ObjectInfo second = store.put(key, new ByteArrayInputStream(two),
        PutOptions.ofLength(3).withCondition(WriteCondition.ifVersion(first.version())));
    assertThat(read("cas/key")).isEqualTo("two");
    assertThat(second.version()).isNotEqualTo(first.version());
    assertThat(tempFiles()).as("refused writes leave no temp files").isEmpty();
  }

  @Test
  void setTagsReplacesTagsAndKeepsBodyAndVersion() {
    ObjectKey key = ObjectKey.of("tags/key");
    byte[] body = "body".getBytes(StandardCharsets.UTF_8);
    ObjectInfo written = store.put(key, new ByteArrayInputStream(body),
        PutOptions.ofLength(4).withTags(Map.of("a", "1", "b", "2")));
    long dataFileSize = sizeOf(store.dataFile(key));

    store.setTags(key, Map.of("c", "3"));

    assertThat(store.getTags(key)).as("tags replaced").containsExactly(Map.entry("c", "3"));
    assertThat(store.head(key)).as("version and info unchanged").contains(written);
    assertThat(read("tags/key")).isEqualTo("body");
    assertThat(sizeOf(store.dataFile(key))).as("data file not rewritten").isEqualTo(dataFileSize);
  }

  @Test
  void tagsSetOnAnOlderVersionDoNotApplyToANewerOne() {
    ObjectKey key = ObjectKey.of("tags/old");
    put("tags/old", "v1");
    store.setTags(key, Map.of("stale", "yes"));

    store.put(key, new ByteArrayInputStream(new byte[] {1}), PutOptions.ofLength(1).withTags(Map.of("n", "2")));

    assertThat(store.getTags(key)).as("tags of the new put").containsExactly(Map.entry("n", "2"));
    store.delete(key);
    put("tags/old", "v3");
    assertThat(store.getTags(key)).as("re-created without tags").isEmpty();
  }

  @Test
  void tagsOfAnAbsentKeyAreNotFound() {
    ObjectKey key = ObjectKey.of("tags/none");
    assertThatThrownBy(() -> store.getTags(key)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> store.setTags(key, Map.of("a", "b"))).isInstanceOf(NotFoundException.class);
    assertThat(store.head(key)).as("setTags created nothing").isEmpty();
  }

  @Test
  void aFlippedByteInTheStoredBodyFailsTheWholeRead() throws IOException {
    ObjectKey key = ObjectKey.of("integrity/key");
    byte[] body = new byte[10_000];
    Arrays.fill(body, (byte) 7);
    store.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
    try (RandomAccessFile file = new RandomAccessFile(store.dataFile(key).toFile(), "rw")) {
      file.seek(1234);
      file.write(8);
    }

    assertThatThrownBy(() -> store.get(key).readAllBytes()).isInstanceOf(IntegrityException.class);
  }

  @Test
  void aBodyShorterOrLongerThanDeclaredWritesNothing() {
    put("len/key", "original");
    ObjectKey key = ObjectKey.of("len/key");

    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[5]), PutOptions.ofLength(6)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("shorter");
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[7]), PutOptions.ofLength(6)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("longer");
    assertThatThrownBy(() -> store.put(ObjectKey.of("len/new"), new ByteArrayInputStream(new byte[1]),
        PutOptions.ofLength(0))).isInstanceOf(InvalidRequestException.class);

    assertThat(read("len/key")).as("existing object untouched").isEqualTo("original");
    assertThat(store.head(ObjectKey.of("len/new"))).as("no new object").isEmpty();
    assertThat(tempFiles()).as("no temp files left").isEmpty();
  }

  @Test
  void rangesFollowTheContract() {
    put("range/key", "0123456789");
    ObjectKey key = ObjectKey.of("range/key");

    assertThat(new String(store.get(key, ReadRange.of(2, 3)).readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("234");
    assertThat(new String(store.get(key, ReadRange.from(7)).readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("789");
    assertThat(store.get(key, ReadRange.of(4, 100)).readAllBytes()).hasSize(6);
    assertThat(store.get(key, ReadRange.from(10)).readAllBytes()).as("offset == size").isEmpty();
    assertThat(store.get(key, ReadRange.of(3, 0)).readAllBytes()).as("length 0").isEmpty();
    assertThatThrownBy(() -> store.get(key, ReadRange.from(11))).isInstanceOf(RangeNotSatisfiableException.class);
    assertThatThrownBy(() -> store.get(ObjectKey.of("range/none"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void unknownLengthBodiesAndEmptyBodiesAreStored() {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(1).nextBytes(big);
    ObjectInfo info = store.put(ObjectKey.of("u/big"), new ByteArrayInputStream(big), PutOptions.defaults());
    ObjectInfo empty = store.put(ObjectKey.of("u/empty"), InputStream.nullInputStream(), PutOptions.ofLength(0));

    assertThat(info.size()).isEqualTo(big.length);
    assertThat(store.get(ObjectKey.of("u/big")).readAllBytes()).isEqualTo(big);
    assertThat(empty.sha256()).isEqualTo(Digests.sha256Hex(new byte[0]));
    assertThat(store.get(ObjectKey.of("u/empty")).readAllBytes()).isEmpty();
  }

  @Test
  void deleteIsIdempotentAndPrunesEmptyDirectories() {
    put("d/e/f", "x");

    assertThat(store.delete(ObjectKey.of("d/e/f"))).isTrue();
    assertThat(store.delete(ObjectKey.of("d/e/f"))).as("second delete").isFalse();
    assertThat(store.delete(ObjectKey.of("never/there"))).isFalse();
    assertThat(root.resolve("d")).as("emptied directories pruned").doesNotExist();
    put("d/e/f", "again");
    assertThat(read("d/e/f")).isEqualTo("again");
  }

  @Test
  void sixteenThreadsRacingIfAbsentHaveExactlyOneWinner() throws Exception {
    ObjectKey key = ObjectKey.of("race/key");
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String body = "racer-" + i;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          store.put(key, new ByteArrayInputStream(bytes),
              PutOptions.ofLength(bytes.length).withCondition(WriteCondition.ifAbsent()));
          winners.add(body);
        } catch (PreconditionFailedException lost) {
          // Expected for all but one racer.
        } catch (Throwable t) {
          unexpected.add(t);
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(unexpected).as("only precondition failures").isEmpty();
    assertThat(winners).as("exactly one ifAbsent winner").hasSize(1);
    assertThat(read("race/key")).isEqualTo(winners.peek());
  }

  @Test
  void ioFailuresAreRetryableAndDoNotRevealHostPaths() throws IOException {
    Files.writeString(root.resolve("blocked"), "a plain file where a key directory belongs");

    assertThatThrownBy(() -> put("blocked/key", "x"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("blocked/key")
        .hasMessageContaining("'local'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(scratch.toString()));
  }

  @Test
  void presignIsRefusedWithoutAPresigner() {
    assertThat(store.capabilities().presign()).isFalse();
    assertThatThrownBy(() -> store.presign(ObjectKey.of("p/k"), PresignRequest.get(Duration.ofMinutes(5))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aSecondStoreOnTheSameRootSeesTheSameObjects() {
    put("shared/key", "from the first");
    try (LocalStore second = LocalStore.open(LocalStoreOptions.of(root).withName("second"))) {
      ObjectKey key = ObjectKey.of("shared/key");
      ObjectInfo current = second.head(key).orElseThrow();
      second.put(key, new ByteArrayInputStream(new byte[] {'2'}),
          PutOptions.ofLength(1).withCondition(WriteCondition.ifVersion(current.version())));
    }
    assertThat(read("shared/key")).as("written through the second store").isEqualTo("2");
    assertThat(put("shared/other", "still works").size()).as("first store works after the second closed")
        .isEqualTo(11);
  }

  private List<Path> tempFiles() {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().startsWith(LocalStore.TEMP_PREFIX)).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
