package io.grey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.grey.core.GreyException;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour contract every {@link BlobStore} passes unchanged: each backend, each layer stack and the
 * multi-cloud store subclass it and implement only {@link #openStore(Path)} (and, if they can,
 * {@link #corruptStoredBody(BlobStore, ObjectKey)}). A behaviour that depends on an optional feature is skipped,
 * with a message naming the capability, exactly when {@link BlobStore#capabilities()} says it is absent.
 *
 * <p>Every test writes only under its own prefix {@code artifacts/contract/<test method>/<run id>/}, so stores
 * that cannot be emptied between tests (a shared cloud bucket) give the same results as fresh ones. Each test
 * opens a store in a fresh scratch directory and closes it afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class BlobStoreContract {
  private static final String RUN = HexFormat.of().toHexDigits(new SecureRandom().nextInt());
  private static final int MIB = 1024 * 1024;
  private static final int FIVE_MIB = 5 * MIB;
  private static final int RACERS = 16;

  private BlobStore store;
  private String prefix;

  /** A fresh, empty store for one test; scratch is an empty directory it may use; the contract closes it. */
  protected abstract BlobStore openStore(Path scratch) throws Exception;

  /** Corrupts the stored body of key behind the store's back; false if the store cannot (test skipped). */
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) throws Exception {
    return false;
  }

  /**
   * Whether the URLs {@link BlobStore#presign} returns are served during the test, so that the contract fetches
   * them; false (the default) checks only their shape, for stores whose URLs a separate server answers.
   */
  protected boolean presignedUrlsAreServed() {
    return false;
  }

  @BeforeEach
  final void openFreshStore(@TempDir Path scratch, TestInfo info) throws Exception {
    String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
    prefix = "artifacts/contract/" + method + "/" + RUN + "/";
    store = openStore(scratch);
    assertThat(store).as("openStore must return a store").isNotNull();
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** The store under test in the current test. */
  protected final BlobStore store() {
    return store;
  }

  /** {@code name} under the current test's own prefix. */
  protected final ObjectKey key(String name) {
    return ObjectKey.of(prefix + name);
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void emptyBodyRoundTrips() {
    assertRoundTrip(DeterministicBody.of(1, 0), true);
  }

  @Test
  void oneByteBodyRoundTrips() {
    assertRoundTrip(DeterministicBody.of(2, 1), true);
  }

  @Test
  void fiveMebibyteBodyOfKnownLengthRoundTrips() {
    assertRoundTrip(DeterministicBody.of(3, FIVE_MIB), true);
  }

  @Test
  void bodyOfUnknownLengthRoundTrips() {
    requires(capabilities().unknownLengthPut(), "unknownLengthPut");
    assertRoundTrip(DeterministicBody.of(4, MIB + 12_345), false);
  }

  @Test
  void emptyBodyOfUnknownLengthRoundTrips() {
    requires(capabilities().unknownLengthPut(), "unknownLengthPut");
    assertRoundTrip(DeterministicBody.of(5, 0), false);
  }

  @Test
  void infoReturnedByPutEqualsHead() {
    ObjectKey key = key("info");
    PutOptions options = PutOptions.ofLength(100).withContentType("text/plain");
    if (capabilities().userMetadata()) {
      options = options.withMetadata(Map.of("origin", "contract"));
    }
    ObjectInfo put = store.put(key, DeterministicBody.of(6, 100).open(), options);

    assertThat(store.head(key)).as("head after put").contains(put);
  }

  @Test
  void infoOfAnOpenedReadEqualsHead() {
    ObjectKey key = key("read-info");
    ObjectInfo put = putBody(key, DeterministicBody.of(7, 300));

    try (ObjectContent content = store.get(key)) {
      assertThat(content.info()).as("info of the opened read").isEqualTo(put);
    }
  }

  @Test
  void recordedSha256EqualsTheDigestOfTheBody() {
    DeterministicBody body = DeterministicBody.of(8, 70_001);
    ObjectInfo put = putBody(key("digest"), body);

    MessageDigest digest = Digests.sha256();
    digest.update(body.bytes());
    String expected = Digests.hex(digest);
    assertThat(put.sha256()).as("sha256 recorded by put, lower-case hex").isEqualTo(expected);
    assertThat(put.size()).as("size recorded by put").isEqualTo(70_001);
    assertThat(put.key()).as("key recorded by put").isEqualTo(key("digest"));
  }

  @Test
  void contentTypeRoundTrips() {
    ObjectKey key = key("typed.json");
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    store.put(key, new ByteArrayInputStream(json), PutOptions.ofLength(json.length).withContentType("application/json"));

    assertThat(store.head(key).orElseThrow().contentType()).as("content type from head").isEqualTo("application/json");
  }

  @Test
  void contentTypeDefaultsToOctetStream() {
    ObjectKey key = key("untyped");
    putBody(key, DeterministicBody.of(9, 10));

    assertThat(store.head(key).orElseThrow().contentType()).as("content type of a put without one")
        .isEqualTo(PutOptions.DEFAULT_CONTENT_TYPE);
  }

  @Test
  void userMetadataRoundTrips() {
    requires(capabilities().userMetadata(), "userMetadata");
    ObjectKey key = key("with-metadata");
    Map<String, String> metadata = Map.of("build-id", "42", "stage_name", "release candidate");
    store.put(key, DeterministicBody.of(10, 16).open(), PutOptions.ofLength(16).withMetadata(metadata));

    assertThat(store.head(key).orElseThrow().metadata()).as("metadata from head").isEqualTo(metadata);
    try (ObjectContent content = store.get(key)) {
      assertThat(content.info().metadata()).as("metadata from get").isEqualTo(metadata);
    }
  }

  @Test
  void putDoesNotCloseTheCallersStream() {
    CloseTrackingStream body = new CloseTrackingStream(DeterministicBody.of(11, 1000).open());
    store.put(key("not-closed"), body, PutOptions.ofLength(1000));

    assertThat(body.closed.get()).as("the caller's stream is still open after put").isFalse();
  }

  @Test
  void overwriteReplacesBodyAndInfo() {
    ObjectKey key = key("overwritten");
    putBody(key, DeterministicBody.of(12, 500));
    DeterministicBody second = DeterministicBody.of(13, 200);
    ObjectInfo latest = store.put(key, second.open(), PutOptions.ofLength(200).withContentType("text/plain"));

    assertThat(store.head(key)).as("head after overwrite").contains(latest);
    assertThat(latest.sha256()).as("sha256 after overwrite").isEqualTo(second.sha256());
    assertThat(readAll(key)).as("body after overwrite").isEqualTo(second.bytes());
  }

  // ---------------------------------------------------------------- declared length

  @Test
  void bodyShorterThanDeclaredLengthIsRejectedAndNothingIsWritten() {
    ObjectKey key = key("short");
    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(14, 99).open(), PutOptions.ofLength(100)))
        .as("a body one byte short of its declared length").isInstanceOf(InvalidRequestException.class);

    assertThat(store.head(key)).as("no object after a rejected put").isEmpty();
  }

  @Test
  void bodyLongerThanDeclaredLengthIsRejectedAndNothingIsWritten() {
    ObjectKey key = key("long");
    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(15, 101).open(), PutOptions.ofLength(100)))
        .as("a body one byte longer than its declared length").isInstanceOf(InvalidRequestException.class);

    assertThat(store.head(key)).as("no object after a rejected put").isEmpty();
  }

  @Test
  void bodyShorterThanDeclaredLengthLeavesThePreviousObjectUntouched() {
    ObjectKey key = key("short-over");
    Stored before = storeWithTags(key, DeterministicBody.of(16, 64));

    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(17, 10).open(), PutOptions.ofLength(11)))
        .as("a body shorter than declared").isInstanceOf(InvalidRequestException.class);

    assertUnchanged(key, before);
  }

  @Test
  void bodyLongerThanDeclaredLengthLeavesThePreviousObjectUntouched() {
    ObjectKey key = key("long-over");
    Stored before = storeWithTags(key, DeterministicBody.of(18, 64));

    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(19, 12).open(), PutOptions.ofLength(11)))
        .as("a body longer than declared").isInstanceOf(InvalidRequestException.class);

    assertUnchanged(key, before);
  }

  // ---------------------------------------------------------------- ranged reads

  @Test
  void rangeWithOffsetOnlyReadsToTheEnd() {
    requires(capabilities().rangedRead(), "rangedRead");
    DeterministicBody body = DeterministicBody.of(20, 1000);
    putBody(key("r"), body);

    assertRange(key("r"), body, ReadRange.from(600), 600, 400);
  }

  @Test
  void rangeWithOffsetAndLengthReadsExactlyThoseBytes() {
    requires(capabilities().rangedRead(), "rangedRead");
    DeterministicBody body = DeterministicBody.of(21, 1000);
    putBody(key("r"), body);

    assertRange(key("r"), body, ReadRange.of(10, 25), 10, 25);
  }

  @Test
  void rangeLongerThanTheRemainderStopsAtTheEnd() {
    requires(capabilities().rangedRead(), "rangedRead");
    DeterministicBody body = DeterministicBody.of(22, 1000);
    putBody(key("r"), body);

    assertRange(key("r"), body, ReadRange.of(990, 500), 990, 10);
  }

  @Test
  void rangeStartingAtTheSizeIsEmpty() {
    requires(capabilities().rangedRead(), "rangedRead");
    putBody(key("r"), DeterministicBody.of(23, 1000));

    try (ObjectContent content = store.get(key("r"), ReadRange.from(1000))) {
      assertThat(content.readAllBytes()).as("bytes from offset == size").isEmpty();
    }
  }

  @Test
  void rangeStartingBeyondTheSizeIsNotSatisfiable() {
    requires(capabilities().rangedRead(), "rangedRead");
    putBody(key("r"), DeterministicBody.of(24, 1000));

    assertThatThrownBy(() -> store.get(key("r"), ReadRange.from(1001)).close())
        .as("a range starting one byte past the end").isInstanceOf(RangeNotSatisfiableException.class);
  }

  @Test
  void rangeOfLengthZeroIsEmpty() {
    requires(capabilities().rangedRead(), "rangedRead");
    putBody(key("r"), DeterministicBody.of(25, 1000));

    try (ObjectContent content = store.get(key("r"), ReadRange.of(500, 0))) {
      assertThat(content.readAllBytes()).as("bytes of a zero-length range").isEmpty();
    }
  }

  @Test
  void rangedReadsOfAFiveMebibyteObjectReturnTheRightBytes() {
    requires(capabilities().rangedRead(), "rangedRead");
    DeterministicBody body = DeterministicBody.of(26, FIVE_MIB);
    putBody(key("big"), body);

    assertRange(key("big"), body, ReadRange.of(0, 1), 0, 1);
    assertRange(key("big"), body, ReadRange.of(4095, 2), 4095, 2);
    assertRange(key("big"), body, ReadRange.of(2 * MIB + 7, MIB), 2 * MIB + 7, MIB);
    assertRange(key("big"), body, ReadRange.from(FIVE_MIB - 1), FIVE_MIB - 1, 1);
    assertRange(key("big"), body, ReadRange.from(FIVE_MIB - 100_000), FIVE_MIB - 100_000, 100_000);
  }

  // ---------------------------------------------------------------- listing

  @Test
  void thousandKeysAreListedInCodePointOrderAcrossPagesOfSeveralSizes() throws Exception {
    List<String> names = new ArrayList<>();
    for (int n = 0; n < 980; n++) {
      names.add("k" + n);
    }
    for (int n = 0; n < 20; n++) {
      names.add("k" + n + "/deep");
    }
    putEmptyConcurrently(shuffled(names, 27));
    List<String> expected = names.stream().map(n -> prefix + n).sorted(ObjectKey.LEXICOGRAPHIC).toList();

    for (int pageSize : new int[] {7, 100, 999, 1000}) {
      assertThat(listByPages(prefix, "", pageSize)).as("all keys, pages of %d", pageSize).isEqualTo(expected);
    }
  }

  @Test
  void pageOfLimitOneWalksEveryKey() {
    List<String> names = List.of("c", "a", "e", "b", "d");
    names.forEach(n -> putEmpty(key(n)));

    assertThat(listByPages(prefix, "", 1)).as("keys listed one per page")
        .containsExactly(prefix + "a", prefix + "b", prefix + "c", prefix + "d", prefix + "e");
  }

  @Test
  void fullPageBeforeMoreKeysEndsWithTheLastKeyAsNextToken() {
    List.of("a", "b", "c").forEach(n -> putEmpty(key(n)));

    ListPage first = store.list(new ListRequest(prefix, "", 2));
    assertThat(keysOf(first)).as("first page").containsExactly(prefix + "a", prefix + "b");
    assertThat(first.nextToken()).as("next token of a page with more keys after it").isEqualTo(prefix + "b");
    ListPage second = store.list(new ListRequest(prefix, first.nextToken(), 2));
    assertThat(keysOf(second)).as("second page").containsExactly(prefix + "c");
    assertThat(second.nextToken()).as("next token of the last page").isEmpty();
  }

  @Test
  void pageEndingExactlyAtTheLastKeyHasAnEmptyNextToken() {
    List.of("a", "b", "c", "d").forEach(n -> putEmpty(key(n)));

    ListPage second = store.list(new ListRequest(prefix, prefix + "b", 2));
    assertThat(keysOf(second)).as("page of the last two keys").containsExactly(prefix + "c", prefix + "d");
    assertThat(second.nextToken()).as("next token when no keys remain").isEmpty();
  }

  @Test
  void listingAPrefixWithoutKeysIsEmpty() {
    putEmpty(key("present"));

    ListPage page = store.list(ListRequest.prefix(prefix + "absent/"));
    assertThat(page.objects()).as("objects under an unused prefix").isEmpty();
    assertThat(page.nextToken()).as("next token of an empty listing").isEmpty();
  }

  @Test
  void prefixIsAPlainStringPrefixIncludingSiblingsThatExtendIt() {
    List.of("a/b", "a/bc", "a/b/c", "a/c", "ab").forEach(n -> putEmpty(key(n)));

    assertThat(listByPages(prefix + "a/b", "", 1000)).as("keys starting with the string a/b")
        .containsExactly(prefix + "a/b", prefix + "a/b/c", prefix + "a/bc");
  }

  @Test
  void prefixEndingInSlashSelectsOnlyThatFolder() {
    List.of("a/b", "a/bc", "a/b/c", "a/b/d/e", "a/c").forEach(n -> putEmpty(key(n)));

    assertThat(listByPages(prefix + "a/b/", "", 1000)).as("keys under a/b/")
        .containsExactly(prefix + "a/b/c", prefix + "a/b/d/e");
  }

  @Test
  void startAfterIsExclusive() {
    List.of("a", "b", "c", "d").forEach(n -> putEmpty(key(n)));

    assertThat(listByPages(prefix, prefix + "b", 1000)).as("keys strictly after b")
        .containsExactly(prefix + "c", prefix + "d");
  }

  @Test
  void startAfterThatIsNotAKeyStartsAtTheNextKey() {
    List.of("a", "c", "e").forEach(n -> putEmpty(key(n)));

    assertThat(listByPages(prefix, prefix + "b", 1000)).as("keys after the absent key b")
        .containsExactly(prefix + "c", prefix + "e");
  }

  @Test
  void emptyPrefixListsEveryKeyInOrder() {
    List.of("m", "a", "z").forEach(n -> putEmpty(key(n)));

    List<String> all = listByPages("", "", 1000);
    assertThat(all).as("the whole listing is in code point order").isSortedAccordingTo(ObjectKey.LEXICOGRAPHIC);
    assertThat(all.stream().filter(k -> k.startsWith(prefix)).toList()).as("this test's keys in the listing")
        .containsExactly(prefix + "a", prefix + "m", prefix + "z");
  }

  @Test
  void keyThatIsAFolderOfAnotherKeyCoexistsWithIt() {
    DeterministicBody outer = DeterministicBody.of(28, 40);
    DeterministicBody inner = DeterministicBody.of(29, 50);
    putBody(key("a/b"), outer);
    putBody(key("a/b/c"), inner);

    assertThat(readAll(key("a/b"))).as("body of a/b").isEqualTo(outer.bytes());
    assertThat(readAll(key("a/b/c"))).as("body of a/b/c").isEqualTo(inner.bytes());
    assertThat(listByPages(prefix, "", 1000)).as("both keys listed").containsExactly(prefix + "a/b", prefix + "a/b/c");
  }

  @Test
  void deletedKeysAreGoneFromListings() {
    List.of("a", "b", "c", "d").forEach(n -> putEmpty(key(n)));
    store.delete(key("b"));
    store.delete(key("d"));

    assertThat(listByPages(prefix, "", 1000)).as("keys left after deletes").containsExactly(prefix + "a", prefix + "c");
  }

  @Test
  void unicodeKeysAreListedInCodePointOrder() {
    // Astral characters sort after U+FF5A by code point although their UTF-16 surrogates sort before it.
    List<String> names = List.of("日本", "𝄞", "z", "é", "ｚ", "Z", "a");
    names.forEach(n -> putEmpty(key(n)));

    List<String> expected = List.of("Z", "a", "z", "é", "日本", "ｚ", "𝄞").stream().map(n -> prefix + n).toList();
    assertThat(expected).as("the expectation itself follows ObjectKey.LEXICOGRAPHIC")
        .isSortedAccordingTo(ObjectKey.LEXICOGRAPHIC);
    assertThat(listByPages(prefix, "", 1000)).as("unicode keys in code point order").isEqualTo(expected);
    assertThat(listByPages(prefix, "", 2)).as("unicode keys in pages of two").isEqualTo(expected);
  }

  @Test
  void listedInfoEqualsHead() {
    ObjectInfo put = putBody(key("listed"), DeterministicBody.of(30, 77));

    ListPage page = store.list(ListRequest.prefix(prefix));
    assertThat(page.objects()).as("listing of one object").hasSize(1);
    ObjectInfo listed = page.objects().getFirst();
    assertThat(listed.key()).as("listed key").isEqualTo(put.key());
    assertThat(listed.size()).as("listed size").isEqualTo(77);
    assertThat(listed.sha256()).as("listed sha256").isEqualTo(put.sha256());
    assertThat(listed.version()).as("listed version").isEqualTo(put.version());
  }

  // ---------------------------------------------------------------- conditional writes

  @Test
  void ifAbsentOnAnAbsentKeySucceeds() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    DeterministicBody body = DeterministicBody.of(31, 20);
    ObjectInfo put = store.put(key("new"), body.open(),
        PutOptions.ofLength(20).withCondition(WriteCondition.ifAbsent()));

    assertThat(store.head(key("new"))).as("object written if absent").contains(put);
    assertThat(readAll(key("new"))).as("body written if absent").isEqualTo(body.bytes());
  }

  @Test
  void ifAbsentOnAnExistingKeyFailsAndChangesNothing() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("taken");
    Stored before = storeWithTags(key, DeterministicBody.of(32, 20));

    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(33, 20).open(),
        PutOptions.ofLength(20).withCondition(WriteCondition.ifAbsent())))
        .as("if-absent on an existing key").isInstanceOf(PreconditionFailedException.class);

    assertUnchanged(key, before);
  }

  @Test
  void ifVersionWithTheCurrentVersionSucceeds() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("cas");
    ObjectInfo first = putBody(key, DeterministicBody.of(34, 20));
    DeterministicBody next = DeterministicBody.of(35, 30);

    ObjectInfo second = store.put(key, next.open(),
        PutOptions.ofLength(30).withCondition(WriteCondition.ifVersion(first.version())));

    assertThat(second.version()).as("version after compare-and-swap").isNotEqualTo(first.version());
    assertThat(store.head(key)).as("head after compare-and-swap").contains(second);
    assertThat(readAll(key)).as("body after compare-and-swap").isEqualTo(next.bytes());
  }

  @Test
  void ifVersionWithAStaleVersionFailsAndChangesNothing() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("stale");
    ObjectInfo old = putBody(key, DeterministicBody.of(36, 20));
    Stored before = storeWithTags(key, DeterministicBody.of(37, 25));

    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(38, 20).open(),
        PutOptions.ofLength(20).withCondition(WriteCondition.ifVersion(old.version()))))
        .as("if-version with a superseded version").isInstanceOf(PreconditionFailedException.class);

    assertUnchanged(key, before);
  }

  @Test
  void ifVersionOnAnAbsentKeyFailsAndWritesNothing() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectInfo elsewhere = putBody(key("elsewhere"), DeterministicBody.of(39, 5));

    assertThatThrownBy(() -> store.put(key("absent"), DeterministicBody.of(40, 5).open(),
        PutOptions.ofLength(5).withCondition(WriteCondition.ifVersion(elsewhere.version()))))
        .as("if-version on an absent key").isInstanceOf(PreconditionFailedException.class);

    assertThat(store.head(key("absent"))).as("absent key after a failed if-version").isEmpty();
  }

  @Test
  void ifAbsentAfterADeleteSucceeds() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("recreated");
    putBody(key, DeterministicBody.of(41, 5));
    store.delete(key);

    ObjectInfo again = store.put(key, DeterministicBody.of(42, 6).open(),
        PutOptions.ofLength(6).withCondition(WriteCondition.ifAbsent()));
    assertThat(store.head(key)).as("object re-created if absent").contains(again);
  }

  @Test
  void versionOfADeletedObjectDoesNotMatchItsRecreation() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("aba");
    ObjectInfo old = putBody(key, DeterministicBody.of(43, 8));
    store.delete(key);
    ObjectInfo recreated = putBody(key, DeterministicBody.of(44, 9));

    assertThatThrownBy(() -> store.put(key, DeterministicBody.of(45, 8).open(),
        PutOptions.ofLength(8).withCondition(WriteCondition.ifVersion(old.version()))))
        .as("if-version with the version of the deleted object").isInstanceOf(PreconditionFailedException.class);
    assertThat(store.head(key)).as("re-created object untouched").contains(recreated);
  }

  @Test
  void sixteenRacersOnIfAbsentHaveExactlyOneWinnerWhoseBodyIsStored() throws Exception {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("race");
    ReadingGate gate = new ReadingGate(RACERS);
    List<Outcome> outcomes = race(RACERS, i -> store.put(key, gate.hold(DeterministicBody.of(100 + i, 4096).open()),
        PutOptions.ofLength(4096).withCondition(WriteCondition.ifAbsent())));

    Outcome winner = onlyWinner(outcomes);
    DeterministicBody winning = DeterministicBody.of(100 + winner.racer(), 4096);
    assertThat(store.head(key)).as("stored info is the winner's").contains(winner.info());
    assertThat(readAll(key)).as("stored body is the winner's").isEqualTo(winning.bytes());
  }

  @Test
  void sixteenRacersOnIfVersionFromTheSameVersionHaveExactlyOneWinner() throws Exception {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    ObjectKey key = key("cas-race");
    ObjectInfo base = putBody(key, DeterministicBody.of(200, 512));
    ReadingGate gate = new ReadingGate(RACERS);
    List<Outcome> outcomes = race(RACERS, i -> store.put(key, gate.hold(DeterministicBody.of(300 + i, 512).open()),
        PutOptions.ofLength(512).withCondition(WriteCondition.ifVersion(base.version()))));

    Outcome winner = onlyWinner(outcomes);
    assertThat(store.head(key)).as("stored info is the winner's").contains(winner.info());
    assertThat(readAll(key)).as("stored body is the winner's")
        .isEqualTo(DeterministicBody.of(300 + winner.racer(), 512).bytes());
  }

  @Test
  void versionsDifferAcrossOverwrites() {
    ObjectKey key = key("versions");
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      versions.add(putBody(key, DeterministicBody.of(400 + i, 32)).version());
    }

    assertThat(versions).as("distinct versions of five overwrites").hasSize(5);
  }

  @Test
  void versionsDifferAcrossDeleteAndRecreate() {
    ObjectKey key = key("recreate");
    String first = putBody(key, DeterministicBody.of(410, 32)).version();
    store.delete(key);
    String second = putBody(key, DeterministicBody.of(411, 32)).version();

    assertThat(second).as("version after delete and re-create").isNotEqualTo(first);
  }

  // ---------------------------------------------------------------- tags

  @Test
  void tagsGivenAtPutAreReadable() {
    requires(capabilities().tags(), "tags");
    Map<String, String> tags = Map.of("grey-tenant-id", "acme", "grey-environment", "production");
    store.put(key("tagged"), DeterministicBody.of(50, 8).open(), PutOptions.ofLength(8).withTags(tags));

    assertThat(store.getTags(key("tagged"))).as("tags stored with the object").isEqualTo(tags);
  }

  @Test
  void objectPutWithoutTagsHasNone() {
    requires(capabilities().tags(), "tags");
    putBody(key("untagged"), DeterministicBody.of(51, 8));

    assertThat(store.getTags(key("untagged"))).as("tags of an object put without tags").isEmpty();
  }

  @Test
  void setTagsReplacesAllTagsAndKeepsBodyAndVersion() {
    requires(capabilities().tags(), "tags");
    ObjectKey key = key("retagged");
    DeterministicBody body = DeterministicBody.of(52, 64);
    ObjectInfo put = store.put(key, body.open(), PutOptions.ofLength(64).withTags(Map.of("a", "1", "b", "2")));

    store.setTags(key, Map.of("c", "3"));

    assertThat(store.getTags(key)).as("tags after setTags").isEqualTo(Map.of("c", "3"));
    ObjectInfo after = store.head(key).orElseThrow();
    assertThat(after.version()).as("version after setTags").isEqualTo(put.version());
    assertThat(after.sha256()).as("sha256 after setTags").isEqualTo(put.sha256());
    assertThat(readAll(key)).as("body after setTags").isEqualTo(body.bytes());
  }

  @Test
  void setTagsWithNoTagsClearsThem() {
    requires(capabilities().tags(), "tags");
    ObjectKey key = key("cleared");
    store.put(key, DeterministicBody.of(53, 8).open(), PutOptions.ofLength(8).withTags(Map.of("a", "1")));

    store.setTags(key, Map.of());

    assertThat(store.getTags(key)).as("tags after setting none").isEmpty();
  }

  @Test
  void getTagsOfAnAbsentKeyIsNotFound() {
    requires(capabilities().tags(), "tags");

    assertThatThrownBy(() -> store.getTags(key("nothing"))).as("getTags of an absent key")
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void setTagsOfAnAbsentKeyIsNotFoundAndCreatesNothing() {
    requires(capabilities().tags(), "tags");

    assertThatThrownBy(() -> store.setTags(key("nothing"), Map.of("a", "1"))).as("setTags of an absent key")
        .isInstanceOf(NotFoundException.class);
    assertThat(store.head(key("nothing"))).as("absent key after a failed setTags").isEmpty();
  }

  @Test
  void overwriteWithoutTagsClearsTags() {
    requires(capabilities().tags(), "tags");
    ObjectKey key = key("retagged-by-overwrite");
    store.put(key, DeterministicBody.of(54, 8).open(), PutOptions.ofLength(8).withTags(Map.of("a", "1")));
    putBody(key, DeterministicBody.of(55, 8));

    assertThat(store.getTags(key)).as("tags after an overwrite without tags").isEmpty();
  }

  // ---------------------------------------------------------------- delete

  @Test
  void deleteReturnsTrueThenFalse() {
    ObjectKey key = key("doomed");
    putBody(key, DeterministicBody.of(60, 8));

    assertThat(store.delete(key)).as("first delete of an existing object").isTrue();
    assertThat(store.delete(key)).as("second delete of the same key").isFalse();
  }

  @Test
  void getAndHeadAfterDeleteReportAbsence() {
    ObjectKey key = key("deleted");
    putBody(key, DeterministicBody.of(61, 8));
    store.delete(key);

    assertThat(store.head(key)).as("head after delete").isEmpty();
    assertThatThrownBy(() -> store.get(key).close()).as("get after delete").isInstanceOf(NotFoundException.class);
  }

  @Test
  void deletingAKeyThatNeverExistedIsFine() {
    assertThat(store.delete(key("never"))).as("delete of a key that never existed").isFalse();
    assertThat(store.head(key("never"))).as("head of that key").isEmpty();
  }

  @Test
  void deleteLeavesNeighbouringKeysAlone() {
    List.of("a/b", "a/b/c", "a/bc").forEach(n -> putEmpty(key(n)));

    store.delete(key("a/b"));

    assertThat(listByPages(prefix, "", 1000)).as("neighbours of the deleted key")
        .containsExactly(prefix + "a/b/c", prefix + "a/bc");
  }

  // ---------------------------------------------------------------- errors

  @Test
  void headOfAnAbsentKeyIsEmpty() {
    assertThat(store.head(key("missing"))).as("head of an absent key").isEmpty();
  }

  @Test
  void notFoundErrorsCarryTheNotFoundCodeAndAreNotRetryable() {
    GreyException error = thrown(() -> store.get(key("missing")).close());

    assertThat(error).as("get of an absent key").isInstanceOf(NotFoundException.class);
    assertThat(error.code()).as("error code").isEqualTo("not_found");
    assertThat(error.retryable()).as("retryable").isFalse();
  }

  @Test
  void preconditionErrorsCarryThePreconditionFailedCodeAndAreNotRetryable() {
    requires(capabilities().conditionalWrite(), "conditionalWrite");
    putBody(key("present"), DeterministicBody.of(70, 4));

    GreyException error = thrown(() -> store.put(key("present"), DeterministicBody.of(71, 4).open(),
        PutOptions.ofLength(4).withCondition(WriteCondition.ifAbsent())));

    assertThat(error).as("if-absent on a present key").isInstanceOf(PreconditionFailedException.class);
    assertThat(error.code()).as("error code").isEqualTo("precondition_failed");
    assertThat(error.retryable()).as("retryable").isFalse();
  }

  // ---------------------------------------------------------------- integrity

  @Test
  void corruptedBodyFailsTheIntegrityCheckAtTheEndOfAWholeRead() throws Exception {
    ObjectKey key = key("rotten");
    putBody(key, DeterministicBody.of(80, 1024));
    Assumptions.assumeTrue(corruptStoredBody(store, key),
        () -> "store '" + store.name() + "' cannot corrupt a stored body behind its back (corruptStoredBody)");

    assertThatThrownBy(() -> {
      try (ObjectContent content = store.get(key)) {
        drain(content.stream());
      }
    }).as("reading a corrupted body to EOF").isInstanceOf(IntegrityException.class);
  }

  // ---------------------------------------------------------------- presign

  @Test
  void presignReturnsAnAbsoluteHttpUrl() {
    requires(capabilities().presign(), "presign");
    putBody(key("shared"), DeterministicBody.of(90, 100));

    URI url = store.presign(key("shared"), PresignRequest.get(Duration.ofMinutes(5)));

    assertThat(url.isAbsolute()).as("presigned URL %s is absolute", url).isTrue();
    assertThat(url.getScheme()).as("scheme of %s", url).isIn("http", "https");
    assertThat(url.getHost()).as("host of %s", url).isNotBlank();
  }

  @Test
  void presignedUrlServesTheObjectsBytes() throws Exception {
    requires(capabilities().presign(), "presign");
    Assumptions.assumeTrue(presignedUrlsAreServed(),
        () -> "presigned URLs of store '" + store.name() + "' are not served in this test");
    DeterministicBody body = DeterministicBody.of(91, 2000);
    putBody(key("fetched"), body);
    URI url = store.presign(key("fetched"), PresignRequest.get(Duration.ofMinutes(5)));

    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as("status of GET %s", url).isEqualTo(200);
      assertThat(response.body()).as("bytes served at the presigned URL").isEqualTo(body.bytes());
    }
  }

  @Test
  void presignWithoutTheCapabilityIsAnInvalidRequest() {
    Assumptions.assumeFalse(capabilities().presign(), "store has the presign capability");
    putBody(key("unshared"), DeterministicBody.of(92, 10));

    assertThatThrownBy(() -> store.presign(key("unshared"), PresignRequest.get(Duration.ofMinutes(5))))
        .as("presign on a store without the capability").isInstanceOf(InvalidRequestException.class);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void eightConcurrentWritersOfDistinctKeysAreAllReadableAfterwards() throws Exception {
    int writers = 8;
    int perWriter = 8;
    race(writers, w -> {
      for (int i = 0; i < perWriter; i++) {
        putBody(key("w" + w + "/" + i), DeterministicBody.of(1000L * w + i, 8192));
      }
      return null;
    }).forEach(outcome -> assertSucceeded(outcome, "writer"));

    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < perWriter; i++) {
        assertThat(readAll(key("w" + w + "/" + i))).as("body of w%d/%d", w, i)
            .isEqualTo(DeterministicBody.of(1000L * w + i, 8192).bytes());
      }
    }
    assertThat(listByPages(prefix, "", 1000)).as("listed keys of all writers").hasSize(writers * perWriter);
  }

  @Test
  void readersDuringOverwritesSeeTheOldOrTheNewBodyNeverAMix() throws Exception {
    ObjectKey key = key("flipping");
    DeterministicBody a = DeterministicBody.of(500, 64 * 1024);
    DeterministicBody b = DeterministicBody.of(501, 64 * 1024);
    Set<String> allowed = Set.of(a.sha256(), b.sha256());
    putBody(key, a);
    AtomicBoolean writing = new AtomicBoolean(true);

    List<Outcome> outcomes = race(3, role -> {
      if (role == 0) {
        try {
          for (int i = 0; i < 150; i++) {
            putBody(key, i % 2 == 0 ? b : a);
          }
        } finally {
          writing.set(false);
        }
        return null;
      }
      int reads = 0;
      do {
        try (ObjectContent content = store.get(key)) {
          String seen = sha256Of(content.stream());
          assertThat(seen).as("digest of a read during overwrites").isIn(allowed);
          assertThat(seen).as("digest matches the info of the same read").isEqualTo(content.info().sha256());
        }
        reads++;
      } while (writing.get() && reads < 2000);
      return null;
    });

    outcomes.forEach(outcome -> assertSucceeded(outcome, outcome.racer() == 0 ? "writer" : "reader"));
  }

  // ---------------------------------------------------------------- helpers

  private Capabilities capabilities() {
    return store.capabilities();
  }

  private void requires(boolean present, String capability) {
    Assumptions.assumeTrue(present,
        () -> "store '" + store.name() + "' lacks the " + capability + " capability");
  }

  private void assertRoundTrip(DeterministicBody body, boolean knownLength) {
    ObjectKey key = key("body");
    PutOptions options = knownLength ? PutOptions.ofLength(body.size()) : PutOptions.defaults();
    ObjectInfo put = store.put(key, body.open(), options);

    assertThat(put.size()).as("size recorded by put").isEqualTo(body.size());
    assertThat(put.sha256()).as("sha256 recorded by put").isEqualTo(body.sha256());
    assertThat(store.head(key)).as("head after put").contains(put);
    try (ObjectContent content = store.get(key)) {
      assertStreamEquals(content.stream(), body, 0, body.size());
    }
  }

  private void assertRange(ObjectKey key, DeterministicBody body, ReadRange range, long offset, long length) {
    try (ObjectContent content = store.get(key, range)) {
      assertStreamEquals(content.stream(), body, offset, length);
    }
  }

  /** Compares a stream chunk by chunk with a slice of {@code body}, holding at most two chunks. */
  private static void assertStreamEquals(InputStream actual, DeterministicBody body, long offset, long length) {
    byte[] expectedChunk = new byte[64 * 1024];
    try (InputStream expected = body.slice(offset, length)) {
      long position = 0;
      while (true) {
        int want = expected.readNBytes(expectedChunk, 0, expectedChunk.length);
        byte[] got = actual.readNBytes(want == 0 ? 1 : want);
        if (want == 0) {
          assertThat(got).as("bytes after the expected %d (offset %d)", length, offset).isEmpty();
          return;
        }
        assertThat(got.length).as("bytes available at position %d of %d", position, length).isEqualTo(want);
        for (int i = 0; i < want; i++) {
          if (got[i] != expectedChunk[i]) {
            fail("byte %d of the range at offset %d differs: expected %d, got %d",
                position + i, offset, expectedChunk[i], got[i]);
          }
        }
        position += want;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectInfo putBody(ObjectKey key, DeterministicBody body) {
    return store.put(key, body.open(), PutOptions.ofLength(body.size()));
  }

  private void putEmpty(ObjectKey key) {
    store.put(key, InputStream.nullInputStream(), PutOptions.ofLength(0));
  }

  private void putEmptyConcurrently(List<String> names) throws Exception {
    int threads = 8;
    race(threads, t -> {
      for (int i = t; i < names.size(); i += threads) {
        putEmpty(key(names.get(i)));
      }
      return null;
    }).forEach(outcome -> assertSucceeded(outcome, "writer"));
  }

  private byte[] readAll(ObjectKey key) {
    try (ObjectContent content = store.get(key)) {
      return content.readAllBytes();
    }
  }

  private List<String> listByPages(String listPrefix, String startAfter, int pageSize) {
    List<String> keys = new ArrayList<>();
    ListRequest request = new ListRequest(listPrefix, startAfter, pageSize);
    for (int pages = 0; ; pages++) {
      assertThat(pages).as("pages needed for a listing in pages of %d", pageSize).isLessThan(100_000);
      ListPage page = store.list(request);
      assertThat(page.objects().size()).as("page size with limit %d", pageSize).isLessThanOrEqualTo(pageSize);
      List<String> pageKeys = keysOf(page);
      keys.addAll(pageKeys);
      if (page.nextToken().isEmpty()) {
        return keys;
      }
      assertThat(pageKeys).as("a page followed by a next token has keys").isNotEmpty();
      assertThat(page.nextToken()).as("next token is the last key of its page").isEqualTo(pageKeys.getLast());
      request = request.after(page.nextToken());
    }
  }

  private static List<String> keysOf(ListPage page) {
    return page.objects().stream().map(info -> info.key().value()).toList();
  }

  private static List<String> shuffled(List<String> names, long seed) {
    List<String> copy = new ArrayList<>(names);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, swap);
    }
    return copy;
  }

  /** What one store holds for a key: info, body digest and (when supported) tags. */
  private record Stored(ObjectInfo info, String bodySha256, Map<String, String> tags) {}

  private Stored storeWithTags(ObjectKey key, DeterministicBody body) {
    PutOptions options = PutOptions.ofLength(body.size());
    Map<String, String> tags = Map.of();
    if (capabilities().tags()) {
      tags = Map.of("keep", "me");
      options = options.withTags(tags);
    }
    ObjectInfo info = store.put(key, body.open(), options);
    return new Stored(info, body.sha256(), tags);
  }

  private void assertUnchanged(ObjectKey key, Stored before) {
    assertThat(store.head(key)).as("info of %s is unchanged", key).contains(before.info());
    try (ObjectContent content = store.get(key)) {
      assertThat(sha256Of(content.stream())).as("body of %s is unchanged", key).isEqualTo(before.bodySha256());
    }
    if (capabilities().tags()) {
      assertThat(store.getTags(key)).as("tags of %s are unchanged", key).isEqualTo(before.tags());
    }
  }

  private static String sha256Of(InputStream in) {
    MessageDigest digest = Digests.sha256();
    byte[] buf = new byte[64 * 1024];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        digest.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Digests.hex(digest);
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    while (in.read(buf) >= 0) {
      // Reading to EOF is what triggers the verification.
    }
  }

  private static GreyException thrown(Runnable call) {
    try {
      call.run();
    } catch (GreyException e) {
      return e;
    }
    return fail("expected a GreyException");
  }

  /** The result of one racer: what it returned or the error it threw. */
  private record Outcome(int racer, ObjectInfo info, Throwable error) {}

  @FunctionalInterface
  private interface Racer {
    ObjectInfo run(int racer) throws Exception;
  }

  /** Runs {@code count} racers on virtual threads released together by a barrier, and waits for all. */
  private static List<Outcome> race(int count, Racer racer) throws InterruptedException {
    CyclicBarrier gate = new CyclicBarrier(count);
    List<Future<ObjectInfo>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int racerIndex = i;
        Callable<ObjectInfo> task = () -> {
          gate.await(60, TimeUnit.SECONDS);
          return racer.run(racerIndex);
        };
        futures.add(threads.submit(task));
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      try {
        outcomes.add(new Outcome(i, futures.get(i).get(), null));
      } catch (ExecutionException e) {
        outcomes.add(new Outcome(i, null, e.getCause()));
      }
    }
    return outcomes;
  }

  private static void assertSucceeded(Outcome outcome, String role) {
    if (outcome.error() != null) {
      throw new AssertionError(role + " " + outcome.racer() + " was expected to succeed but threw "
          + outcome.error(), outcome.error());
    }
  }

  private static Outcome onlyWinner(List<Outcome> outcomes) {
    List<Outcome> winners = outcomes.stream().filter(o -> o.error() == null).toList();
    assertThat(winners).as("racers whose conditional put succeeded").hasSize(1);
    for (Outcome loser : outcomes) {
      if (loser.error() != null) {
        assertThat(loser.error()).as("error of losing racer %d", loser.racer())
            .isInstanceOf(PreconditionFailedException.class);
      }
    }
    return winners.getFirst();
  }

  /**
   * Holds each racer's body at its first read until every racer's store call is reading its body, so that the
   * racers' condition checks overlap instead of running one after another. A store that reads bodies one at a
   * time never fills the gate; the first racer to wait in vain opens it for everyone after a short while.
   */
  private static final class ReadingGate {
    private final CountDownLatch reading;
    private final AtomicBoolean open = new AtomicBoolean();

    ReadingGate(int racers) {
      reading = new CountDownLatch(racers);
    }

    InputStream hold(InputStream body) {
      return new FilterInputStream(body) {
        private boolean arrived;

        @Override
        public int read() throws IOException {
          arrive();
          return super.read();
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          arrive();
          return super.read(buf, off, len);
        }

        private void arrive() {
          if (arrived) {
            return;
          }
          arrived = true;
          reading.countDown();
          if (open.get()) {
            return;
          }
          try {
            if (!reading.await(2, TimeUnit.SECONDS)) {
              open.set(true);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    }
  }

  /** Records whether the store closed the caller's stream. */
  private static final class CloseTrackingStream extends FilterInputStream {
    final AtomicBoolean closed = new AtomicBoolean();

    CloseTrackingStream(InputStream in) {
      super(in);
    }

    @Override
    public void close() throws IOException {
      closed.set(true);
      super.close();
    }
  }
}
