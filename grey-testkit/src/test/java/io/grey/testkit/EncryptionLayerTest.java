package io.grey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.crypto.EncryptionLayer;
import io.grey.core.crypto.LocalKeyring;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the encryption layer leaves in the wrapped store and how it reacts when that store (or whoever holds it)
 * alters the ciphertext. The memory store plays the untrusted backend: tests rewrite its objects directly.
 */
class EncryptionLayerTest {
  private static final int SEGMENT = 4096;
  private static final int TAG = 16;
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/build-1/report.bin");
  private static final ObjectKey OTHER = ObjectKey.of("artifacts/acme/build-1/other.bin");

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private MemoryBlobStore memory;
  private LocalKeyring keyring;
  private BlobStore store;

  @BeforeEach
  void open() {
    memory = MemoryBlobStore.create("memory");
    keyring = LocalKeyring.loadOrCreate(dir.resolve("keyring"), random);
    store = new EncryptionLayer(keyring, dir.resolve("spool"), random, SEGMENT).wrap(memory);
  }

  // ---------------------------------------------------------------- at rest

  @Test
  void bytesAtRestInTheWrappedStoreAreNotThePlaintext() {
    byte[] marker = "GREY-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
    byte[] body = repeat(marker, 3 * SEGMENT / marker.length);
    put(KEY, body);

    ObjectContent raw = memory.get(KEY);
    byte[] stored = raw.readAllBytes();
    assertThat(indexOf(body, marker)).as("the marker is in the plaintext").isZero();
    assertThat(indexOf(stored, marker)).as("position of the plaintext marker in the stored bytes").isEqualTo(-1);
    assertThat(raw.info().metadata().values()).as("stored metadata values")
        .noneMatch(v -> v.contains("GREY-PLAINTEXT-MARKER"));
    assertThat(stored.length).as("stored size: header, plaintext and one tag per segment")
        .isEqualTo(headerLength(stored) + body.length + 3 * TAG);
  }

  @Test
  void infoThroughTheLayerReportsPlaintextSizeAndDigestAndHidesReservedMetadata() {
    byte[] body = DeterministicBody.of(1, 10_000).bytes();
    ObjectInfo put = store.put(KEY, new ByteArrayInputStream(body),
        PutOptions.ofLength(body.length).withMetadata(Map.of("origin", "test")));

    assertThat(put.size()).as("plaintext size").isEqualTo(10_000);
    assertThat(put.sha256()).as("plaintext digest").isEqualTo(DeterministicBody.of(1, 10_000).sha256());
    assertThat(put.metadata()).as("metadata through the layer").isEqualTo(Map.of("origin", "test"));
    assertThat(memory.head(KEY).orElseThrow().metadata()).as("metadata in the wrapped store")
        .containsKeys(EncryptionLayer.PLAIN_SIZE, EncryptionLayer.PLAIN_SHA256, EncryptionLayer.HEADER);
  }

  @Test
  void reservedMetadataNamesAreRefusedAndNothingIsWritten() {
    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(new byte[3]),
        PutOptions.ofLength(3).withMetadata(Map.of(EncryptionLayer.PLAIN_SHA256, "0".repeat(64)))))
        .as("a caller setting grey-plain-sha256").isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(EncryptionLayer.PLAIN_SHA256);
    assertThat(memory.head(KEY)).as("nothing written").isEmpty();
  }

  @Test
  void presignIsRefusedBecauseItWouldHandOutCiphertext() {
    put(KEY, new byte[10]);

    assertThat(store.capabilities().presign()).as("presign capability through the layer").isFalse();
    assertThatThrownBy(() -> store.presign(KEY, PresignRequest.get(Duration.ofMinutes(5))))
        .as("presign through the layer").isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anObjectNotWrittenThroughTheLayerIsAnIntegrityError() {
    memory.put(KEY, new ByteArrayInputStream(new byte[100]), PutOptions.ofLength(100));

    assertThatThrownBy(() -> store.head(KEY)).as("head of a plaintext object under the layer")
        .isInstanceOf(IntegrityException.class).hasMessageContaining(KEY.value());
  }

  // ---------------------------------------------------------------- tampering

  @Test
  void aFlippedCiphertextBitFailsAWholeReadNamingTheObject() {
    put(KEY, DeterministicBody.of(2, 3 * SEGMENT).bytes());
    byte[] stored = storedBytes(KEY);
    stored[headerLength(stored) + SEGMENT + TAG + 100] ^= 0x01;
    replaceStored(KEY, stored, memoryMetadata(KEY));

    assertThatThrownBy(() -> readAll(store.get(KEY))).as("whole read of an object with a flipped bit")
        .isInstanceOf(IntegrityException.class).hasMessageContaining(KEY.value()).hasMessageContaining("segment 1");
  }

  @Test
  void aFlippedCiphertextBitFailsARangedReadOfThatSegment() {
    put(KEY, DeterministicBody.of(3, 3 * SEGMENT).bytes());
    byte[] stored = storedBytes(KEY);
    stored[headerLength(stored) + 2 * (SEGMENT + TAG) + 5] ^= 0x01;
    replaceStored(KEY, stored, memoryMetadata(KEY));

    assertThatThrownBy(() -> readAll(store.get(KEY, ReadRange.of(2 * SEGMENT + 1, 10))))
        .as("ranged read of the altered segment").isInstanceOf(IntegrityException.class);
    assertThat(readAll(store.get(KEY, ReadRange.of(0, SEGMENT)))).as("an untouched segment still reads")
        .isEqualTo(DeterministicBody.of(3, SEGMENT).bytes());
  }

  @Test
  void aTruncatedObjectWhoseRecordedSizeWasLoweredToMatchFailsAuthentication() {
    put(KEY, DeterministicBody.of(4, 3 * SEGMENT).bytes());
    byte[] stored = storedBytes(KEY);
    byte[] truncated = Arrays.copyOf(stored, headerLength(stored) + 2 * (SEGMENT + TAG));
    Map<String, String> metadata = memoryMetadata(KEY);
    metadata.put(EncryptionLayer.PLAIN_SIZE, Integer.toString(2 * SEGMENT));
    replaceStored(KEY, truncated, metadata);

    assertThatThrownBy(() -> readAll(store.get(KEY))).as("whole read of an object cut at a segment boundary")
        .isInstanceOf(IntegrityException.class).hasMessageContaining("segment 1");
  }

  @Test
  void aTruncatedObjectWithItsRecordedSizeIsAnIntegrityError() {
    put(KEY, DeterministicBody.of(5, 3 * SEGMENT).bytes());
    byte[] stored = storedBytes(KEY);
    replaceStored(KEY, Arrays.copyOf(stored, stored.length - SEGMENT), memoryMetadata(KEY));

    assertThatThrownBy(() -> store.get(KEY)).as("opening an object shorter than its recorded size")
        .isInstanceOf(IntegrityException.class).hasMessageContaining(KEY.value());
  }

  @Test
  void swappedSegmentsFailAuthentication() {
    put(KEY, DeterministicBody.of(6, 3 * SEGMENT).bytes());
    byte[] stored = storedBytes(KEY);
    int h = headerLength(stored);
    byte[] swapped = stored.clone();
    System.arraycopy(stored, h, swapped, h + SEGMENT + TAG, SEGMENT + TAG);
    System.arraycopy(stored, h + SEGMENT + TAG, swapped, h, SEGMENT + TAG);
    replaceStored(KEY, swapped, memoryMetadata(KEY));

    assertThatThrownBy(() -> readAll(store.get(KEY))).as("whole read with segments 0 and 1 swapped")
        .isInstanceOf(IntegrityException.class).hasMessageContaining("segment 0");
  }

  @Test
  void aSegmentFromAnotherObjectFailsAuthentication() {
    put(KEY, DeterministicBody.of(7, 3 * SEGMENT).bytes());
    put(OTHER, DeterministicBody.of(8, 3 * SEGMENT).bytes());
    byte[] mine = storedBytes(KEY);
    byte[] theirs = storedBytes(OTHER);
    int h = headerLength(mine);
    System.arraycopy(theirs, h + SEGMENT + TAG, mine, h + SEGMENT + TAG, SEGMENT + TAG);
    replaceStored(KEY, mine, memoryMetadata(KEY));

    assertThatThrownBy(() -> readAll(store.get(KEY, ReadRange.of(SEGMENT, SEGMENT))))
        .as("ranged read of a segment spliced in from another object").isInstanceOf(IntegrityException.class);
  }

  @Test
  void anObjectCopiedToAnotherKeyFailsAuthentication() {
    put(KEY, DeterministicBody.of(9, 100).bytes());
    replaceStored(OTHER, storedBytes(KEY), memoryMetadata(KEY));

    assertThatThrownBy(() -> readAll(store.get(OTHER))).as("whole read of a ciphertext moved to another key")
        .isInstanceOf(IntegrityException.class).hasMessageContaining(OTHER.value());
  }

  @Test
  void anAlteredNoncePrefixInTheHeaderFailsAuthentication() {
    put(KEY, DeterministicBody.of(10, 100).bytes());
    byte[] stored = storedBytes(KEY);
    int h = headerLength(stored);
    stored[h - 1] ^= 0x01;
    Map<String, String> metadata = memoryMetadata(KEY);
    metadata.put(EncryptionLayer.HEADER,
        Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(stored, h)));
    replaceStored(KEY, stored, metadata);

    assertThatThrownBy(() -> readAll(store.get(KEY))).as("whole read with an altered nonce prefix")
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void anAlteredRecordedDigestFailsAtTheEndOfAWholeRead() {
    put(KEY, DeterministicBody.of(11, 100).bytes());
    Map<String, String> metadata = memoryMetadata(KEY);
    metadata.put(EncryptionLayer.PLAIN_SHA256, "0".repeat(64));
    replaceStored(KEY, storedBytes(KEY), metadata);

    assertThatThrownBy(() -> readAll(store.get(KEY))).as("whole read with a forged plaintext digest")
        .isInstanceOf(IntegrityException.class).hasMessageContaining("SHA-256");
  }

  // ---------------------------------------------------------------- keys

  @Test
  void aKeyringWithoutTheObjectsKeyIsAConfigErrorNamingTheKeyIdButNotTheKey() throws IOException {
    put(KEY, DeterministicBody.of(12, 100).bytes());
    String keyId = keyring.currentKeyId();
    LocalKeyring other = LocalKeyring.loadOrCreate(dir.resolve("other-keyring"), random);
    BlobStore wrong = new EncryptionLayer(other, dir.resolve("spool"), random, SEGMENT).wrap(memory);

    String keyringText = Files.readString(keyring.file());
    String secret = keyringText.substring(keyringText.indexOf("kek." + keyId + "=") + 21).strip();
    assertThatThrownBy(() -> wrong.get(KEY)).as("reading with a keyring lacking the object's KEK")
        .isInstanceOf(ConfigException.class).hasMessageContaining(keyId).hasMessageContaining(KEY.value())
        .satisfies(e -> assertThat(e.getMessage()).as("message leaks no key bytes").doesNotContain(secret));
  }

  @Test
  void aDifferentKeyUnderTheSameIdIsAConfigErrorNamingTheKeyId() throws IOException {
    put(KEY, DeterministicBody.of(13, 100).bytes());
    String keyId = keyring.currentKeyId();
    Path forged = dir.resolve("forged-keyring");
    String fresh = Base64.getEncoder().encodeToString(random.generateSeed(32));
    Files.writeString(forged, "current=" + keyId + "\nkek." + keyId + "=" + fresh + "\n");
    Files.setPosixFilePermissions(forged, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    BlobStore wrong = new EncryptionLayer(LocalKeyring.loadOrCreate(forged, random), dir.resolve("spool"), random,
        SEGMENT).wrap(memory);

    assertThatThrownBy(() -> wrong.get(KEY, ReadRange.of(0, 10))).as("reading with another key under the same id")
        .isInstanceOf(ConfigException.class).hasMessageContaining(keyId).hasMessageNotContaining(fresh);
  }

  @Test
  void objectsWrittenBeforeARotationStayReadableAndNewObjectsUseTheNewKey() {
    byte[] before = DeterministicBody.of(14, 5000).bytes();
    byte[] after = DeterministicBody.of(15, 5000).bytes();
    String oldId = keyring.currentKeyId();
    put(KEY, before);

    String newId = keyring.rotate();
    put(OTHER, after);

    assertThat(newId).as("id of the rotated-in KEK").isNotEqualTo(oldId);
    assertThat(keyIdOf(storedBytes(KEY))).as("key id in the header of the older object").isEqualTo(oldId);
    assertThat(keyIdOf(storedBytes(OTHER))).as("key id in the header of the newer object").isEqualTo(newId);
    assertThat(readAll(store.get(KEY))).as("object written before the rotation").isEqualTo(before);
    assertThat(readAll(store.get(OTHER))).as("object written after the rotation").isEqualTo(after);
    LocalKeyring reopened = LocalKeyring.loadOrCreate(keyring.file(), random);
    assertThat(reopened.keyIds()).as("KEKs of the reopened keyring").containsExactly(oldId, newId);
    assertThat(reopened.currentKeyId()).as("current KEK of the reopened keyring").isEqualTo(newId);
  }

  // ---------------------------------------------------------------- sizes and ranges

  @Test
  void emptyObjectIsOneAuthenticatedEmptySegment() {
    ObjectInfo put = put(KEY, new byte[0]);

    byte[] stored = storedBytes(KEY);
    assertThat(put.size()).as("plaintext size").isZero();
    assertThat(stored.length).as("stored size of an empty object").isEqualTo(headerLength(stored) + TAG);
    assertThat(readAll(store.get(KEY))).as("body of an empty object").isEmpty();
  }

  @Test
  void anEmptyObjectWithoutItsSegmentIsAnIntegrityError() {
    put(KEY, new byte[0]);
    byte[] stored = storedBytes(KEY);
    Map<String, String> metadata = memoryMetadata(KEY);
    replaceStored(KEY, Arrays.copyOf(stored, headerLength(stored)), metadata);

    assertThatThrownBy(() -> store.get(KEY)).as("an empty object stripped of its final segment")
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void rangedReadsAtSegmentBoundariesReturnTheRightBytes() {
    int size = 5 * SEGMENT + 100;
    byte[] body = DeterministicBody.of(16, size).bytes();
    put(KEY, body);

    long[][] ranges = {
        {0, SEGMENT}, {SEGMENT - 1, 2}, {SEGMENT, SEGMENT}, {SEGMENT, 1}, {2 * SEGMENT - 1, 1},
        {3 * SEGMENT - 1, SEGMENT + 2}, {5 * SEGMENT, 100}, {5 * SEGMENT - 1, 101}, {size - 1, 1}, {1, size - 2},
    };
    for (long[] r : ranges) {
      byte[] expected = Arrays.copyOfRange(body, (int) r[0], (int) (r[0] + r[1]));
      assertThat(readAll(store.get(KEY, ReadRange.of(r[0], r[1])))).as("bytes %d..+%d", r[0], r[1])
          .isEqualTo(expected);
    }
  }

  @Test
  void aRangedReadFetchesOnlyTheSegmentsItCovers() {
    RecordingStore recording = new RecordingStore(memory);
    BlobStore layered = new EncryptionLayer(keyring, dir.resolve("spool"), random, SEGMENT).wrap(recording);
    byte[] body = DeterministicBody.of(17, 10 * SEGMENT).bytes();
    layered.put(KEY, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
    int h = headerLength(storedBytes(KEY));

    byte[] got = readAll(layered.get(KEY, ReadRange.of(3 * SEGMENT + 10, SEGMENT)));

    assertThat(got).as("bytes of the range")
        .isEqualTo(Arrays.copyOfRange(body, 3 * SEGMENT + 10, 4 * SEGMENT + 10));
    assertThat(recording.ranges).as("ranges asked of the wrapped store: segments 3 and 4 only")
        .containsExactly(ReadRange.of(h + 3L * (SEGMENT + TAG), 2L * (SEGMENT + TAG)));
  }

  @Test
  void aFiveMebibyteObjectWithDefaultSegmentsRoundTripsAndReadsARangeAcrossSegments() {
    BlobStore layered = new EncryptionLayer(keyring, dir.resolve("spool"), random).wrap(memory);
    DeterministicBody body = DeterministicBody.of(18, 5 * 1024 * 1024);
    ObjectInfo put = layered.put(KEY, body.open(), PutOptions.defaults());

    assertThat(put.sha256()).as("plaintext digest of the 5 MiB object").isEqualTo(body.sha256());
    assertThat(memory.head(KEY).orElseThrow().size()).as("stored size: 80 segments of 64 KiB")
        .isEqualTo(headerLength(storedBytes(KEY)) + body.size() + 80L * TAG);
    assertThat(Digests256.of(layered.get(KEY))).as("digest of the decrypted body").isEqualTo(body.sha256());
    int from = 2 * 65536 - 3;
    assertThat(readAll(layered.get(KEY, ReadRange.of(from, 65536 + 6))))
        .as("range across three segments").isEqualTo(Arrays.copyOfRange(body.bytes(), from, from + 65536 + 6));
  }

  @Test
  void theSpoolDirectoryIsEmptyAfterLargePutsThatSucceededAndFailed() throws IOException {
    put(KEY, new byte[300_000]);
    assertThatThrownBy(() -> store.put(OTHER, new ByteArrayInputStream(new byte[300_000]),
        PutOptions.ofLength(300_001))).as("a short body").isInstanceOf(InvalidRequestException.class);

    try (var files = Files.list(dir.resolve("spool"))) {
      assertThat(files.toList()).as("spool files left behind").isEmpty();
    }
  }

  // ---------------------------------------------------------------- helpers

  private ObjectInfo put(ObjectKey key, byte[] body) {
    return store.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
  }

  private byte[] storedBytes(ObjectKey key) {
    return memory.get(key).readAllBytes();
  }

  private Map<String, String> memoryMetadata(ObjectKey key) {
    return new HashMap<>(memory.head(key).orElseThrow().metadata());
  }

  private void replaceStored(ObjectKey key, byte[] bytes, Map<String, String> metadata) {
    memory.put(key, new ByteArrayInputStream(bytes), PutOptions.ofLength(bytes.length).withMetadata(metadata));
  }

  /** The documented header: magic 4, version 1, segment size 4, id length 1, id, wrapped length 1, wrapped, 7. */
  private static int headerLength(byte[] stored) {
    int idLength = stored[9] & 0xff;
    int wrappedLength = stored[10 + idLength] & 0xff;
    return 11 + idLength + wrappedLength + 7;
  }

  private static String keyIdOf(byte[] stored) {
    return new String(stored, 10, stored[9] & 0xff, StandardCharsets.UTF_8);
  }

  private static byte[] readAll(ObjectContent content) {
    return content.readAllBytes();
  }

  private static byte[] repeat(byte[] unit, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < times; i++) {
      out.writeBytes(unit);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Streams a read through SHA-256 without holding it. */
  private static final class Digests256 {
    static String of(ObjectContent content) {
      var digest = io.grey.core.store.Digests.sha256();
      byte[] buf = new byte[65536];
      try (InputStream in = content.stream()) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          digest.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return io.grey.core.store.Digests.hex(digest);
    }
  }

  /** Passes calls through and records the ranges of gets, to see what the layer asks of the wrapped store. */
  private static final class RecordingStore extends ForwardingBlobStore {
    final List<ReadRange> ranges = new ArrayList<>();

    RecordingStore(BlobStore inner) {
      super(inner);
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      ranges.add(range);
      return inner.get(key, range);
    }
  }
}
