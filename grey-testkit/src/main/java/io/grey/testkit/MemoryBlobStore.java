package io.grey.testkit;

import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
import io.grey.core.store.HashingInputStream;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.Tags;
import io.grey.core.store.VerifyingInputStream;
import io.grey.core.store.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference {@link BlobStore}: keeps every object in memory and honours every rule of the behaviour
 * contract, with all capabilities except presign. Versions come from one store-wide generation counter, so each
 * successful put gets a version never used before by this store (also for identical bytes and after a delete).
 * Conditional writes are checked and applied under one lock, so they are atomic; bodies are read before the
 * lock is taken, so a slow writer never blocks others. Nothing is durable beyond the process. Thread-safe.
 */
public final class MemoryBlobStore implements BlobStore {
  private static final long MAX_OBJECT_BYTES = Integer.MAX_VALUE - 64;
  private static final Capabilities CAPABILITIES = Capabilities.full().withPresign(false);

  private record Stored(byte[] body, ObjectInfo info, Map<String, String> tags) {}

  private final String name;
  private final Clock clock;
  private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>(ObjectKey.LEXICOGRAPHIC);
  private final AtomicLong generation = new AtomicLong();
  // A ReentrantLock rather than synchronized so that virtual threads waiting for it do not pin their carrier.
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean closed;

  private MemoryBlobStore(String name, Clock clock) {
    if (name == null || name.isBlank()) {
      throw new InvalidRequestException("store name must not be blank");
    }
    this.name = name;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** An empty store named {@code name} that stamps objects with the system UTC clock. */
  public static MemoryBlobStore create(String name) {
    return new MemoryBlobStore(name, Clock.systemUTC());
  }

  /** An empty store named {@code name} that stamps objects with times from {@code clock}. */
  public static MemoryBlobStore create(String name, Clock clock) {
    return new MemoryBlobStore(name, clock);
  }

  @Override
  public String name() {
    return name;
  }

  /** Everything except presign. */
  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  /** Replaces {@code key} atomically if the condition holds; the body is read fully before anything changes. */
  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(options, "options");
    ensureOpen();
    // Checked before reading too, so that a doomed write does not consume a large body; the check that counts
    // is the one under the lock.
    checkCondition(key, options.condition(), objects.get(key.value()));
    HashingInputStream hashing = new HashingInputStream(body);
    byte[] bytes = readBody(key, hashing, options);
    String sha256 = hashing.sha256Hex();
    writeLock.lock();
    try {
      ensureOpen();
      checkCondition(key, options.condition(), objects.get(key.value()));
      ObjectInfo info = new ObjectInfo(key, bytes.length, sha256, "g" + generation.incrementAndGet(),
          clock.instant(), options.contentType(), options.metadata());
      objects.put(key.value(), new Stored(bytes, info, options.tags()));
      return info;
    } finally {
      writeLock.unlock();
    }
  }

  /** Opens a snapshot of the current version; later writes do not affect an open read. */
  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    Objects.requireNonNull(range, "range");
    Stored stored = stored(key);
    long size = stored.body().length;
    if (range.offset() > size) {
      throw new RangeNotSatisfiableException("range offset " + range.offset() + " is beyond the end of " + key
          + " (" + size + " bytes) in store '" + name + "'");
    }
    int offset = (int) range.offset();
    int length = (int) range.lengthWithin(size);
    InputStream stream = new ByteArrayInputStream(stored.body(), offset, length);
    if (range.isAll()) {
      stream = new VerifyingInputStream(stream, stored.info().sha256(), size, key + " in store '" + name + "'");
    }
    return new ObjectContent(stored.info(), range, stream);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    return Optional.ofNullable(objects.get(key.value())).map(Stored::info);
  }

  /** A consistent-enough page: each listed object existed at some moment during the call. */
  @Override
  public ListPage list(ListRequest request) {
    Objects.requireNonNull(request, "request");
    ensureOpen();
    String prefix = request.prefix();
    String after = request.startAfter();
    ConcurrentNavigableMap<String, Stored> tail = ObjectKey.LEXICOGRAPHIC.compare(after, prefix) >= 0
        ? objects.tailMap(after, false)
        : objects.tailMap(prefix, true);
    List<ObjectInfo> page = new ArrayList<>();
    for (Map.Entry<String, Stored> entry : tail.entrySet()) {
      // Keys sharing a prefix are contiguous in code point order, so the first key without it ends the range.
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      if (page.size() == request.limit()) {
        return new ListPage(page, page.getLast().key().value());
      }
      page.add(entry.getValue().info());
    }
    return new ListPage(page, "");
  }

  @Override
  public boolean delete(ObjectKey key) {
    Objects.requireNonNull(key, "key");
    writeLock.lock();
    try {
      ensureOpen();
      return objects.remove(key.value()) != null;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    return stored(key).tags();
  }

  /** Replaces all tags atomically; body, version and last-modified time stay as they are. */
  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags");
    Tags.validate(tags);
    Map<String, String> copy = Map.copyOf(tags);
    writeLock.lock();
    try {
      Stored stored = stored(key);
      objects.put(key.value(), new Stored(stored.body(), stored.info(), copy));
    } finally {
      writeLock.unlock();
    }
  }

  /** Always refused: an in-memory store has nothing that could serve a URL. */
  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    throw new InvalidRequestException("store '" + name + "' (in memory) has no presign capability");
  }

  /**
   * Changes the stored body of {@code key} without updating its recorded size or SHA-256, as bit rot would, so
   * that integrity checks can be tested; returns false if there is no such object.
   */
  public boolean corruptStoredBody(ObjectKey key) {
    writeLock.lock();
    try {
      Stored stored = objects.get(key.value());
      if (stored == null) {
        return false;
      }
      byte[] body = stored.body().length == 0 ? new byte[1] : stored.body().clone();
      body[0] ^= (byte) 0x5a;
      objects.put(key.value(), new Stored(body, stored.info(), stored.tags()));
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /** Drops every object; calls after this fail with {@link StoreUnavailableException}. Idempotent. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      closed = true;
      objects.clear();
    } finally {
      writeLock.unlock();
    }
  }

  private static byte[] readBody(ObjectKey key, InputStream body, PutOptions options) {
    try {
      if (!options.lengthKnown()) {
        return body.readAllBytes();
      }
      long declared = options.contentLength();
      if (declared > MAX_OBJECT_BYTES) {
        throw new InvalidRequestException("an in-memory object holds at most " + MAX_OBJECT_BYTES
            + " bytes; " + key + " declares " + declared);
      }
      byte[] bytes = body.readNBytes((int) declared);
      if (bytes.length < declared) {
        throw new InvalidRequestException("body of " + key + " ended after " + bytes.length
            + " bytes; the declared content length is " + declared);
      }
      if (body.read() >= 0) {
        throw new InvalidRequestException("body of " + key + " is longer than the declared content length "
            + declared);
      }
      return bytes;
    } catch (IOException e) {
      throw new InvalidRequestException("reading the body of " + key + " failed: " + e.getMessage(), e);
    }
  }

  private void checkCondition(ObjectKey key, WriteCondition condition, Stored current) {
    switch (condition) {
      case WriteCondition.None none -> { }
      case WriteCondition.IfAbsent ifAbsent -> {
        if (current != null) {
          throw new PreconditionFailedException(key + " already exists in store '" + name + "'");
        }
      }
      case WriteCondition.IfVersion ifVersion -> {
        if (current == null) {
          throw new PreconditionFailedException(key + " does not exist in store '" + name
              + "', expected version " + ifVersion.version());
        }
        if (!current.info().version().equals(ifVersion.version())) {
          throw new PreconditionFailedException(key + " is at version " + current.info().version()
              + ", not " + ifVersion.version() + ", in store '" + name + "'");
        }
      }
    }
  }

  private Stored stored(ObjectKey key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    Stored stored = objects.get(key.value());
    if (stored == null) {
      throw new NotFoundException("no object " + key + " in store '" + name + "'");
    }
    return stored;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreUnavailableException("store '" + name + "' is closed");
    }
  }
}
