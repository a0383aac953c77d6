package io.grey.core.layer;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fault injection for the layer tests: fails the next calls of an operation with scripted errors (a put may
 * first read some bytes of its body, like a store whose connection breaks mid-upload) and counts every call.
 */
final class FlakyStore extends ForwardingBlobStore {
  private record Failure(RuntimeException error, int bytesToRead) {}

  private final Map<String, Deque<Failure>> failures = new HashMap<>();
  private final Map<String, Integer> calls = new HashMap<>();

  FlakyStore(BlobStore inner) {
    super(inner);
  }

  /** The next calls of {@code operation} throw {@code errors}, one each, in order. */
  synchronized FlakyStore failNext(String operation, RuntimeException... errors) {
    for (RuntimeException error : errors) {
      failures.computeIfAbsent(operation, op -> new ArrayDeque<>()).add(new Failure(error, 0));
    }
    return this;
  }

  /** The next put reads {@code bytes} bytes of its body and then throws {@code error}. */
  synchronized FlakyStore failNextPutAfterReading(int bytes, RuntimeException error) {
    failures.computeIfAbsent("put", op -> new ArrayDeque<>()).add(new Failure(error, bytes));
    return this;
  }

  /** How many times {@code operation} was called. */
  synchronized int calls(String operation) {
    return calls.getOrDefault(operation, 0);
  }

  private void enter(String operation, InputStream body) {
    Failure failure;
    synchronized (this) {
      calls.merge(operation, 1, Integer::sum);
      Deque<Failure> queue = failures.get(operation);
      failure = queue == null ? null : queue.poll();
    }
    if (failure == null) {
      return;
    }
    if (failure.bytesToRead() > 0) {
      try {
        body.readNBytes(failure.bytesToRead());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw failure.error();
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    enter("put", body);
    return super.put(key, body, options);
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    enter("get", null);
    return super.get(key, range);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    enter("head", null);
    return super.head(key);
  }

  @Override
  public ListPage list(ListRequest request) {
    enter("list", null);
    return super.list(request);
  }

  @Override
  public boolean delete(ObjectKey key) {
    enter("delete", null);
    return super.delete(key);
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    enter("get_tags", null);
    return super.getTags(key);
  }

  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    enter("set_tags", null);
    super.setTags(key, tags);
  }

  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    enter("presign", null);
    return super.presign(key, request);
  }
}
