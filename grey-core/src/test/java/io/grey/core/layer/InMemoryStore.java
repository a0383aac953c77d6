package io.grey.core.layer;

import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory store for grey-core's tests; keeps bodies as arrays, which only tests may do. Versions are
 * unique per write; lastModified comes from the given clock (the epoch by default).
 */
public final class InMemoryStore implements BlobStore {
  private record Stored(byte[] body, ObjectInfo info, Map<String, String> tags) {}

  private final String name;
  private final ConcurrentSkipListMap<ObjectKey, Stored> objects = new ConcurrentSkipListMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final Clock clock;
  private final boolean tags;

  public InMemoryStore(String name) {
    this(name, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  }

  public InMemoryStore(String name, Clock clock) {
    this(name, clock, true);
  }

  /** A store that, with {@code tags} false, lacks the tags capability and refuses puts that carry tags. */
  public InMemoryStore(String name, Clock clock, boolean tags) {
    this.name = name;
    this.clock = clock;
    this.tags = tags;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.full().withTags(tags);
  }

  @Override
  public synchronized ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    if (!tags && !options.tags().isEmpty()) {
      throw new InvalidRequestException("store '" + name + "' has no tags capability; put " + key + " without tags");
    }
    Stored current = objects.get(key);
    switch (options.condition()) {
      case WriteCondition.None none -> { }
      case WriteCondition.IfAbsent ifAbsent -> {
        if (current != null) {
          throw new PreconditionFailedException(key + " exists");
        }
      }
      case WriteCondition.IfVersion ifVersion -> {
        if (current == null || !current.info().version().equals(ifVersion.version())) {
          throw new PreconditionFailedException(key + " is not at version " + ifVersion.version());
        }
      }
    }
    byte[] bytes;
    try {
      bytes = options.lengthKnown() ? body.readNBytes((int) options.contentLength()) : body.readAllBytes();
      if (options.lengthKnown() && bytes.length < options.contentLength()) {
        throw new InvalidRequestException("body of " + key + " is shorter than its content length "
            + options.contentLength());
      }
      if (options.lengthKnown() && body.read() != -1) {
        throw new InvalidRequestException("body of " + key + " is longer than its content length "
            + options.contentLength());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectInfo info = new ObjectInfo(key, bytes.length, Digests.sha256Hex(bytes),
        "v" + versions.incrementAndGet(), clock.instant(), options.contentType(), options.metadata());
    objects.put(key, new Stored(bytes, info, options.tags()));
    return info;
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    Stored stored = stored(key);
    int offset = (int) range.offset();
    int length = (int) range.lengthWithin(stored.body().length);
    return new ObjectContent(stored.info(), range, new ByteArrayInputStream(stored.body(), offset, length));
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    return Optional.ofNullable(objects.get(key)).map(Stored::info);
  }

  @Override
  public ListPage list(ListRequest request) {
    List<ObjectInfo> page = new ArrayList<>();
    for (Stored stored : objects.values()) {
      String key = stored.info().key().value();
      if (key.startsWith(request.prefix()) && ObjectKey.LEXICOGRAPHIC.compare(key, request.startAfter()) > 0) {
        if (page.size() == request.limit()) {
          return new ListPage(page, page.getLast().key().value());
        }
        page.add(stored.info());
      }
    }
    return new ListPage(page, "");
  }

  @Override
  public synchronized boolean delete(ObjectKey key) {
    return objects.remove(key) != null;
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    return stored(key).tags();
  }

  @Override
  public synchronized void setTags(ObjectKey key, Map<String, String> tags) {
    Stored stored = stored(key);
    objects.put(key, new Stored(stored.body(), stored.info(), Map.copyOf(tags)));
  }

  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    return URI.create("mem://" + name + "/" + key.value() + "?method=" + request.method());
  }

  @Override
  public void close() {}

  /** The stored body of {@code key}, for assertions. */
  public byte[] body(ObjectKey key) {
    return stored(key).body().clone();
  }

  private Stored stored(ObjectKey key) {
    Stored stored = objects.get(key);
    if (stored == null) {
      throw new NotFoundException("no object " + key + " in " + name);
    }
    return stored;
  }
}
