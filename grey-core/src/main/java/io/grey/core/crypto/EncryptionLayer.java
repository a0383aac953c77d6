package io.grey.core.crypto;

import io.grey.core.ConfigException;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
import io.grey.core.store.Digests;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client-side envelope encryption over any store: the wrapped store only ever holds ciphertext. Each object gets
 * a fresh random 256-bit data key, wrapped by the current key-encryption key (KEK) of a {@link KeyProvider}; the
 * body is sealed with AES-256-GCM in fixed-size segments, so reads and writes use constant memory and a ranged
 * read fetches and decrypts only the segments it covers.
 *
 * <h2>Stored format, version 1</h2>
 *
 * <pre>
 * header  "GRYE" | version 0x01 | segment size S (u32 BE) | key id length (u8) | key id (UTF-8, 1-64 bytes)
 *         | wrapped key length (u8) | wrapped data key (AES-KW: 40 bytes) | nonce prefix (7 random bytes)
 * segment i = AES-256-GCM(data key, nonce = prefix | i (u32 BE) | last (0x00 or 0x01),
 *                         associated data = header bytes | object key (UTF-8), plaintext)   (plaintext + 16 bytes)
 * </pre>
 *
 * A plaintext of P bytes takes max(1, ceil(P / S)) segments; all but the last hold S bytes, the last 1-S (0 for
 * an empty object) and is the only one flagged last. This is the STREAM construction (as in Tink's streaming
 * AEAD): the nonce binds each segment to its position and to finality, so a truncated object, reordered segments
 * or segments moved from another object (another data key and prefix) fail to authenticate; the associated data
 * binds every segment to the header and to the object key, so an altered header or an object copied to another
 * key fails too. A data key is used for one object only, so nonces never repeat under a key.
 *
 * <h2>What the wrapped store holds</h2>
 *
 * The body is the format above. The user metadata carries, besides the caller's metadata,
 * {@value #PLAIN_SIZE} (decimal), {@value #PLAIN_SHA256} (lower-case hex) and {@value #HEADER} (the header again,
 * base64url), so that head and list report the plaintext size and digest without reading bodies, and a ranged
 * read needs one ranged get. Metadata names starting with {@code grey-plain-} or {@code grey-enc-} are reserved
 * and refused from callers. The recorded plaintext size is checked against the stored size; the recorded digest
 * is checked against the decrypted bytes at the end of every whole read. The plaintext digest in metadata is
 * visible to the wrapped store: it lets whoever holds the store confirm a guess of an object's exact content,
 * though never read it.
 *
 * <h2>Writes</h2>
 *
 * Metadata precedes the body in every backend's write, but the plaintext digest is known only after the body; a
 * put therefore encrypts the body to a spool (ciphertext only: in memory up to 256 KiB, beyond that a 0600 file
 * in the configured directory, deleted afterwards) and then writes it to the wrapped store with its known
 * length. Memory stays constant; a large object needs its size in spool disk space while it is being put. A body shorter or longer than its declared length is refused
 * before anything reaches the wrapped store. Durability, conditions, versions and tags are the wrapped store's.
 *
 * <h2>Errors</h2>
 *
 * A segment that does not authenticate, a malformed header or a recorded size that does not fit the stored size
 * is an {@link IntegrityException} naming the object. A KEK the provider does not hold, or one that does not
 * unwrap the data key (a different key under the same id, or an altered wrapped key), is a
 * {@link ConfigException} naming the object and the key id, never the key: it is fixed by configuring the right
 * keyring. An object in the wrapped store that the layer did not write is refused by head, get and list with an
 * {@link IntegrityException}. Presign is off: a presigned URL would hand out ciphertext.
 *
 * <h2>Key rotation</h2>
 *
 * New objects are wrapped under the provider's current KEK; an object names its KEK in its header, so older
 * objects stay readable as long as the provider keeps their KEK. Re-wrapping an existing object's data key under
 * a newer KEK is not offered: the header lives in the body and in metadata, and this SPI can change neither
 * without rewriting the object, so re-wrapping means reading and putting the object again. Thread-safe.
 */
public final class EncryptionLayer implements Layer {
  /** Plaintext bytes per segment unless configured otherwise. */
  public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;
  /** Metadata name of the plaintext size. */
  public static final String PLAIN_SIZE = "grey-plain-size";
  /** Metadata name of the plaintext SHA-256. */
  public static final String PLAIN_SHA256 = "grey-plain-sha256";
  /** Metadata name of the encryption header. */
  public static final String HEADER = "grey-enc-header";

  private static final List<String> RESERVED_PREFIXES = List.of("grey-plain-", "grey-enc-");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int DATA_KEY_BYTES = 32;
  private static final long MAX_SEGMENTS = 1L << 32;
  private static final int MAX_OPEN_ATTEMPTS = 5;
  private static final int SPOOL_MEMORY_BYTES = 256 * 1024;

  private final KeyProvider keys;
  private final Path spoolDirectory;
  private final SecureRandom random;
  private final int segmentSize;

  /** A layer with 64 KiB segments; see {@link #EncryptionLayer(KeyProvider, Path, SecureRandom, int)}. */
  public EncryptionLayer(KeyProvider keys, Path spoolDirectory, SecureRandom random) {
    this(keys, spoolDirectory, random, DEFAULT_SEGMENT_SIZE);
  }

  /**
   * A layer wrapping data keys with {@code keys}, spooling ciphertext under {@code spoolDirectory} (created if
   * missing), drawing data keys and nonce prefixes from {@code random}.
   *
   * @param segmentSize plaintext bytes per segment, 4 KiB to 16 MiB; recorded in each object, so objects written
   *     with another size stay readable
   * @throws InvalidRequestException if the segment size is out of range
   */
  public EncryptionLayer(KeyProvider keys, Path spoolDirectory, SecureRandom random, int segmentSize) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
    this.random = Objects.requireNonNull(random, "random");
    if (segmentSize < EnvelopeHeader.MIN_SEGMENT || segmentSize > EnvelopeHeader.MAX_SEGMENT) {
      throw new InvalidRequestException("encryption segment size must be " + EnvelopeHeader.MIN_SEGMENT + "-"
          + EnvelopeHeader.MAX_SEGMENT + " bytes, got " + segmentSize);
    }
    this.segmentSize = segmentSize;
  }

  /**
   * Returns {@code inner} with every body encrypted before it reaches it and decrypted and authenticated on the
   * way back.
   *
   * @throws ConfigException if {@code inner} has no user metadata, where the layer keeps its envelope
   */
  @Override
  public BlobStore wrap(BlobStore inner) {
    Objects.requireNonNull(inner, "inner");
    if (!inner.capabilities().userMetadata()) {
      throw new ConfigException("store '" + inner.name() + "' has no user metadata, which the encryption layer "
          + "needs to record plaintext size, digest and key envelope");
    }
    return new EncryptedStore(inner);
  }

  /** Whether {@code name} is a metadata name the layer keeps for itself. */
  public static boolean isReserved(String name) {
    return RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /** What the sealed copy of a put body records. */
  private record Sealed(EnvelopeHeader header, byte[] headerBytes, long plainSize, String plainSha256) {}

  /** A stored object seen through the layer: its plaintext info and its envelope. */
  private record Envelope(ObjectInfo info, EnvelopeHeader header, byte[] headerBytes) {}

  private static byte[] associatedData(byte[] headerBytes, ObjectKey key) {
    byte[] name = key.value().getBytes(StandardCharsets.UTF_8);
    byte[] aad = Arrays.copyOf(headerBytes, headerBytes.length + name.length);
    System.arraycopy(name, 0, aad, headerBytes.length, name.length);
    return aad;
  }

  private static Cipher gcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by every Java platform", e);
    }
  }

  private final class EncryptedStore extends ForwardingBlobStore {
    EncryptedStore(BlobStore inner) {
      super(inner);
    }

    private String what(ObjectKey key) {
      return key + " in encrypted store '" + inner.name() + "'";
    }

    /** The wrapped store's capabilities, with presign off and any body length accepted (the spool knows it). */
    @Override
    public Capabilities capabilities() {
      Capabilities c = inner.capabilities();
      return new Capabilities(c.conditionalWrite(), c.tags(), true, c.rangedRead(), true, false);
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(options, "options");
      for (String name : options.metadata().keySet()) {
        if (isReserved(name)) {
          throw new InvalidRequestException("metadata name '" + name + "' of " + key
              + " is reserved by the encryption layer (names starting with grey-plain- or grey-enc-)");
        }
      }
      try (Spool spool = new Spool(spoolDirectory, SPOOL_MEMORY_BYTES)) {
        Sealed sealed;
        try {
          sealed = seal(key, body, options, spool);
        } catch (IOException e) {
          throw new StoreUnavailableException(spool.where() + " for " + key + " failed: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new HashMap<>(options.metadata());
        metadata.put(PLAIN_SIZE, Long.toString(sealed.plainSize()));
        metadata.put(PLAIN_SHA256, sealed.plainSha256());
        metadata.put(HEADER, Base64.getUrlEncoder().withoutPadding().encodeToString(sealed.headerBytes()));
        PutOptions stored = new PutOptions(sealed.header().cipherSize(sealed.plainSize()), options.condition(),
            options.contentType(), metadata, options.tags());
        try (InputStream in = spool.input()) {
          return open(inner.put(key, in, stored)).info();
        } catch (IOException e) {
          throw new StoreUnavailableException(spool.where() + " for " + key + " failed: " + e.getMessage(), e);
        }
      } catch (IOException e) {
        // Only ciphertext can be left behind, and no later put depends on it.
        throw new StoreUnavailableException("encryption spool for " + key + " could not be removed: "
            + e.getMessage(), e);
      }
    }

    /** Writes header and segments of {@code body} to {@code out}, enforcing a declared length. */
    private Sealed seal(ObjectKey key, InputStream body, PutOptions options, OutputStream out) throws IOException {
      byte[] rawKey = new byte[DATA_KEY_BYTES];
      random.nextBytes(rawKey);
      byte[] prefix = new byte[EnvelopeHeader.NONCE_PREFIX_BYTES];
      random.nextBytes(prefix);
      String keyId = keys.currentKeyId();
      SecretKey dataKey = new SecretKeySpec(rawKey, "AES");
      EnvelopeHeader header;
      try {
        header = new EnvelopeHeader(segmentSize, keyId, keys.wrap(keyId, rawKey), prefix);
      } finally {
        Arrays.fill(rawKey, (byte) 0);
      }
      byte[] headerBytes = header.encode();
      byte[] aad = associatedData(headerBytes, key);
      out.write(headerBytes);

      long declared = options.contentLength();
      // Reading one byte past a declared length is how an over-long body is noticed.
      long readLimit = options.lengthKnown() ? declared + 1 : Long.MAX_VALUE;
      MessageDigest digest = Digests.sha256();
      Cipher cipher = gcm();
      byte[] current = new byte[segmentSize];
      byte[] next = new byte[segmentSize];
      byte[] sealed = new byte[segmentSize + EnvelopeHeader.TAG_BYTES];
      long total = 0;
      int currentLength = readSegment(body, current, readLimit - total);
      total += currentLength;
      digest.update(current, 0, currentLength);
      for (long index = 0; ; index++) {
        checkNotLonger(key, options, total);
        int nextLength = 0;
        if (currentLength == segmentSize) {
          nextLength = readSegment(body, next, readLimit - total);
          total += nextLength;
          digest.update(next, 0, nextLength);
          checkNotLonger(key, options, total);
        }
        boolean last = nextLength == 0;
        if (index >= MAX_SEGMENTS) {
          throw new InvalidRequestException(key + ": an encrypted object holds at most " + MAX_SEGMENTS
              + " segments of " + segmentSize + " bytes");
        }
        try {
          cipher.init(Cipher.ENCRYPT_MODE, dataKey,
              new GCMParameterSpec(EnvelopeHeader.TAG_BYTES * 8, header.nonce(index, last)));
          cipher.updateAAD(aad);
          int n = cipher.doFinal(current, 0, currentLength, sealed, 0);
          out.write(sealed, 0, n);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        if (last) {
          break;
        }
        byte[] swap = current;
        current = next;
        next = swap;
        currentLength = nextLength;
      }
      if (options.lengthKnown() && total < declared) {
        throw new InvalidRequestException("body of " + key + " ended after " + total
            + " bytes; the declared content length is " + declared);
      }
      return new Sealed(header, headerBytes, total, Digests.hex(digest));
    }

    private void checkNotLonger(ObjectKey key, PutOptions options, long total) {
      if (options.lengthKnown() && total > options.contentLength()) {
        throw new InvalidRequestException("body of " + key + " is longer than the declared content length "
            + options.contentLength());
      }
    }

    private int readSegment(InputStream body, byte[] buf, long allowed) {
      try {
        return body.readNBytes(buf, 0, (int) Math.min(buf.length, allowed));
      } catch (IOException e) {
        throw new InvalidRequestException("reading the body failed: " + e.getMessage(), e);
      }
    }

    /** Interprets what the wrapped store recorded; refuses objects the layer did not write. */
    private Envelope open(ObjectInfo stored) {
      ObjectKey key = stored.key();
      Map<String, String> metadata = stored.metadata();
      String encodedHeader = metadata.get(HEADER);
      String size = metadata.get(PLAIN_SIZE);
      String sha256 = metadata.get(PLAIN_SHA256);
      if (encodedHeader == null || size == null || sha256 == null) {
        throw new IntegrityException(what(key) + ": not written through the encryption layer (metadata "
            + HEADER + ", " + PLAIN_SIZE + " or " + PLAIN_SHA256 + " missing)");
      }
      byte[] headerBytes;
      long plainSize;
      try {
        headerBytes = Base64.getUrlDecoder().decode(encodedHeader);
        plainSize = Long.parseLong(size);
      } catch (IllegalArgumentException e) {
        throw new IntegrityException(what(key) + ": malformed encryption metadata (" + e.getMessage() + ")", e);
      }
      if (plainSize < 0 || !SHA256_HEX.matcher(sha256).matches()) {
        throw new IntegrityException(what(key) + ": malformed plaintext size or digest in metadata");
      }
      EnvelopeHeader header = EnvelopeHeader.decode(headerBytes, what(key));
      long expected = header.cipherSize(plainSize);
      if (expected != stored.size()) {
        throw new IntegrityException(what(key) + ": stored size " + stored.size() + " does not fit "
            + plainSize + " plaintext bytes (expected " + expected + ")");
      }
      Map<String, String> callers = new HashMap<>(metadata);
      callers.keySet().removeIf(EncryptionLayer::isReserved);
      ObjectInfo info = new ObjectInfo(key, plainSize, sha256, stored.version(), stored.lastModified(),
          stored.contentType(), callers);
      return new Envelope(info, header, headerBytes);
    }

    private SecretKey unwrap(Envelope envelope) {
      byte[] raw;
      try {
        raw = keys.unwrap(envelope.header().keyId(), envelope.header().wrappedKey());
      } catch (ConfigException e) {
        throw new ConfigException(what(envelope.info().key()) + ": " + e.getMessage(), e);
      }
      try {
        if (raw.length != DATA_KEY_BYTES) {
          throw new IntegrityException(what(envelope.info().key()) + ": unwrapped data key has " + raw.length
              + " bytes, expected " + DATA_KEY_BYTES);
        }
        return new SecretKeySpec(raw, "AES");
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(range, "range");
      return range.isAll() ? getWhole(key) : getRange(key, range);
    }

    private ObjectContent getWhole(ObjectKey key) {
      ObjectContent raw = inner.get(key, ReadRange.all());
      try {
        Envelope envelope = open(raw.info());
        SecretKey dataKey = unwrap(envelope);
        InputStream in = raw.stream();
        byte[] bodyHeader = in.readNBytes(envelope.headerBytes().length);
        if (!Arrays.equals(bodyHeader, envelope.headerBytes())) {
          throw new IntegrityException(what(key) + ": the header in the body differs from the one in metadata");
        }
        long size = envelope.info().size();
        InputStream plain = new SegmentDecryptingInputStream(in, envelope.header(), dataKey,
            associatedData(envelope.headerBytes(), key), size, 0, envelope.header().segmentCount(size) - 1, 0,
            size, true, what(key));
        return new ObjectContent(envelope.info(), ReadRange.all(),
            new VerifyingInputStream(plain, envelope.info().sha256(), size, what(key)));
      } catch (IOException e) {
        raw.close();
        throw new StoreUnavailableException(what(key) + ": reading the header failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        raw.close();
        throw e;
      }
    }

    private ObjectContent getRange(ObjectKey key, ReadRange range) {
      for (int attempt = 1; ; attempt++) {
        ObjectInfo stored = inner.head(key).orElseThrow(() -> new NotFoundException(what(key) + " does not exist"));
        Envelope envelope = open(stored);
        long size = envelope.info().size();
        if (range.offset() > size) {
          throw new RangeNotSatisfiableException("range offset " + range.offset() + " is beyond the end of "
              + what(key) + " (" + size + " bytes)");
        }
        long length = range.lengthWithin(size);
        if (length == 0) {
          return new ObjectContent(envelope.info(), range, InputStream.nullInputStream());
        }
        EnvelopeHeader header = envelope.header();
        long first = range.offset() / header.segmentSize();
        long last = (range.offset() + length - 1) / header.segmentSize();
        long start = header.cipherOffset(first);
        long end = header.cipherOffset(last) + header.plainLength(last, size) + EnvelopeHeader.TAG_BYTES;
        ObjectContent raw;
        try {
          raw = inner.get(key, ReadRange.of(start, end - start));
        } catch (RangeNotSatisfiableException | NotFoundException e) {
          if (attempt < MAX_OPEN_ATTEMPTS) {
            continue;
          }
          throw e;
        }
        if (!raw.info().version().equals(stored.version())) {
          // Overwritten between head and get: the segments belong to another envelope.
          raw.close();
          if (attempt < MAX_OPEN_ATTEMPTS) {
            continue;
          }
          throw new StoreUnavailableException(what(key) + " kept changing while a ranged read was being opened");
        }
        try {
          SecretKey dataKey = unwrap(envelope);
          InputStream plain = new SegmentDecryptingInputStream(raw.stream(), header, dataKey,
              associatedData(envelope.headerBytes(), key), size, first, last,
              range.offset() - first * header.segmentSize(), length, false, what(key));
          return new ObjectContent(envelope.info(), range, plain);
        } catch (RuntimeException e) {
          raw.close();
          throw e;
        }
      }
    }

    @Override
    public Optional<ObjectInfo> head(ObjectKey key) {
      return inner.head(key).map(stored -> open(stored).info());
    }

    @Override
    public ListPage list(ListRequest request) {
      ListPage page = inner.list(request);
      return new ListPage(page.objects().stream().map(stored -> open(stored).info()).toList(), page.nextToken());
    }

    /** Always refused: a presigned URL to the wrapped store would hand out ciphertext. */
    @Override
    public URI presign(ObjectKey key, PresignRequest request) {
      throw new InvalidRequestException("store '" + inner.name() + "' is encrypted by Grey; a presigned URL would "
          + "serve ciphertext, so " + key + " cannot be presigned");
    }
  }
}
