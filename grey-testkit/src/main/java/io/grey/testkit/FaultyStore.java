package io.grey.testkit;

import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Fault injection at the store boundary for failure tests: wraps a real store and makes chosen calls fail with
 * a given {@link GreyException}, either before they reach the wrapped store (nothing happens, as with a refused
 * connection) or after (the call takes effect but its reply is lost), or makes them hang until released (a
 * store that stops answering). Faults are queued per {@link Operation} and consumed in order; calls without a
 * queued fault pass through unchanged. Every call is counted. Thread-safe.
 */
public final class FaultyStore extends ForwardingBlobStore {

  /** The calls of the {@link BlobStore} API that faults can target. */
  public enum Operation { PUT, GET, HEAD, LIST, DELETE, GET_TAGS, SET_TAGS, PRESIGN }

  private sealed interface Fault {}

  private record FailBefore(Supplier<? extends GreyException> error) implements Fault {}

  private record FailAfter(Supplier<? extends GreyException> error) implements Fault {}

  private final Map<Operation, Deque<Fault>> faults = new EnumMap<>(Operation.class);
  private final Map<Operation, Hang> hangs = new EnumMap<>(Operation.class);
  private final Map<Operation, AtomicInteger> calls = new EnumMap<>(Operation.class);

  private FaultyStore(BlobStore inner) {
    super(Objects.requireNonNull(inner, "inner"));
    for (Operation operation : Operation.values()) {
      calls.put(operation, new AtomicInteger());
    }
  }

  /** Wraps {@code inner} with no faults queued. */
  public static FaultyStore wrap(BlobStore inner) {
    return new FaultyStore(inner);
  }

  /**
   * The next {@code times} calls of {@code operation} throw a fresh error from {@code error} without reaching
   * the wrapped store, so nothing is written or read.
   */
  public synchronized FaultyStore failNext(Operation operation, int times, Supplier<? extends GreyException> error) {
    return queue(operation, times, new FailBefore(Objects.requireNonNull(error, "error")));
  }

  /**
   * The next {@code times} calls of {@code operation} reach the wrapped store and take effect, then throw a
   * fresh error from {@code error} instead of returning (a reply lost on the way back). A get's opened stream is
   * closed before the error is thrown.
   */
  public synchronized FaultyStore failNextAfterApplying(
      Operation operation, int times, Supplier<? extends GreyException> error) {
    return queue(operation, times, new FailAfter(Objects.requireNonNull(error, "error")));
  }

  /**
   * From now on every call of {@code operation} blocks before reaching the wrapped store until the returned
   * hang is released (then it proceeds normally) or the calling thread is interrupted (then it throws
   * {@link StoreUnavailableException} with the interrupt flag restored). Replaces an earlier hang of the same
   * operation after releasing it.
   */
  public synchronized Hang hang(Operation operation) {
    Objects.requireNonNull(operation, "operation");
    Hang hang = new Hang(operation);
    Hang previous = hangs.put(operation, hang);
    if (previous != null) {
      previous.release();
    }
    return hang;
  }

  /** Drops every queued fault and releases every hang; later calls pass through. */
  public synchronized void heal() {
    faults.clear();
    hangs.values().forEach(Hang::release);
    hangs.clear();
  }

  /** How many calls of {@code operation} this store has received, including failed and hanging ones. */
  public int calls(Operation operation) {
    return calls.get(operation).get();
  }

  /** A hang of one operation: calls wait until {@link #release()}. Thread-safe. */
  public static final class Hang implements AutoCloseable {
    private final Operation operation;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();

    private Hang(Operation operation) {
      this.operation = operation;
    }

    /** How many calls are blocked in this hang right now. */
    public int waiting() {
      return waiting.get();
    }

    /** Lets every blocked and future call of this hang proceed; idempotent. */
    public void release() {
      released.countDown();
    }

    /** Releases the hang. */
    @Override
    public void close() {
      release();
    }

    private void await() {
      waiting.incrementAndGet();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException(operation.name().toLowerCase() + " was interrupted while the store"
            + " was not answering", e);
      } finally {
        waiting.decrementAndGet();
      }
    }
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    return call(Operation.PUT, () -> super.put(key, body, options));
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    Fault fault = enter(Operation.GET);
    if (fault instanceof FailBefore before) {
      throw before.error().get();
    }
    ObjectContent content = super.get(key, range);
    if (fault instanceof FailAfter after) {
      content.close();
      throw after.error().get();
    }
    return content;
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    return call(Operation.HEAD, () -> super.head(key));
  }

  @Override
  public ListPage list(ListRequest request) {
    return call(Operation.LIST, () -> super.list(request));
  }

  @Override
  public boolean delete(ObjectKey key) {
    return call(Operation.DELETE, () -> super.delete(key));
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    return call(Operation.GET_TAGS, () -> super.getTags(key));
  }

  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    call(Operation.SET_TAGS, () -> {
      super.setTags(key, tags);
      return null;
    });
  }

  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    return call(Operation.PRESIGN, () -> super.presign(key, request));
  }

  private synchronized FaultyStore queue(Operation operation, int times, Fault fault) {
    Objects.requireNonNull(operation, "operation");
    if (times < 1) {
      throw new InvalidRequestException("times must be at least 1, got " + times);
    }
    Deque<Fault> queue = faults.computeIfAbsent(operation, op -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
    return this;
  }

  private <T> T call(Operation operation, Supplier<T> call) {
    Fault fault = enter(operation);
    if (fault instanceof FailBefore before) {
      throw before.error().get();
    }
    T result = call.get();
    if (fault instanceof FailAfter after) {
      throw after.error().get();
    }
    return result;
  }

  private Fault enter(Operation operation) {
    calls.get(operation).incrementAndGet();
    Hang hang;
    Fault fault;
    synchronized (this) {
      hang = hangs.get(operation);
      Deque<Fault> queue = faults.get(operation);
      fault = queue == null ? null : queue.poll();
    }
    // Waiting outside the monitor so that release() and heal() can get in.
    if (hang != null) {
      hang.await();
    }
    return fault;
  }
}
