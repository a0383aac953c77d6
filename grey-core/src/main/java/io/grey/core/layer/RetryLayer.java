package io.grey.core.layer;

import io.grey.core.GreyException;
import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats calls that fail with a retryable {@link GreyException} ({@link GreyException#retryable()}: store
 * unavailable, throttled) following a {@link RetryPolicy}: exponential backoff with full jitter. Errors that are
 * not retryable (not found, precondition failed, invalid request, access denied, integrity, ...) and exceptions
 * that are not Grey errors pass through at once.
 *
 * <p>When every attempt fails, the last error is thrown with the earlier ones attached as suppressed
 * exceptions. If the thread is interrupted while waiting between attempts, the interrupt flag is restored and a
 * {@link StoreUnavailableException} is thrown whose cause is the last error.
 *
 * <p>What is repeated:
 *
 * <ul>
 *   <li>{@code head}, {@code get} (opening the stream; a failure while the caller reads the stream is not
 *       repeated), {@code list}, {@code delete}, {@code getTags}, {@code setTags} and {@code presign} are
 *       repeated freely: each is idempotent. A repeated {@code delete} may return {@code false} when an earlier
 *       attempt removed the object but its reply was lost.
 *   <li>{@code put} is repeated only while its body can be replayed: when the store has not consumed a single
 *       byte of it yet, or when the body supports {@link InputStream#mark mark/reset} and
 *       {@code options.contentLength()} is known and at most {@link #MAX_REPLAY_BYTES} (the body is marked
 *       before the first attempt and reset before each repeat). Otherwise the error is thrown at once.
 *   <li>A conditional put ({@code ifAbsent}, {@code ifVersion}) whose first attempt failed with a retryable error
 *       may nevertheless have been applied by the store before the connection broke; its repeat then fails with
 *       {@link io.grey.core.PreconditionFailedException} although the caller's write is the one that is stored.
 *       This is inherent to retrying a compare-and-swap; a caller that gets a precondition failure from a
 *       retried put checks with {@code head} whether the stored SHA-256 is its own.
 * </ul>
 *
 * <p>Thread-safe; the wrapped store must be too.
 */
public final class RetryLayer implements Layer {
  /** The largest put body, in bytes, that is buffered via mark/reset so that it can be replayed. */
  public static final long MAX_REPLAY_BYTES = 8L * 1024 * 1024;

  // A store may read a little beyond the declared length to check that the body ends there.
  private static final int READ_AHEAD_SLACK = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RetryLayer.class);

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  /**
   * A layer repeating calls under {@code policy}, waiting with {@code sleeper}, drawing jitter from
   * {@code random} (which must be thread-safe if the store is used from several threads).
   */
  public RetryLayer(RetryPolicy policy, Sleeper sleeper, RandomGenerator random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The policy this layer follows. */
  public RetryPolicy policy() {
    return policy;
  }

  /** Returns {@code inner} with retrying added; {@code name()} and {@code capabilities()} are unchanged. */
  @Override
  public BlobStore wrap(BlobStore inner) {
    return new RetryingStore(Objects.requireNonNull(inner, "inner"));
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with a non-retryable error, runs out of retries, or
   * {@code readyToRepeat} says the failed attempt cannot be repeated.
   */
  private <T> T run(String what, Supplier<T> attempt, Predicate<GreyException> readyToRepeat) {
    List<GreyException> earlier = new ArrayList<>();
    for (int retry = 0; ; retry++) {
      try {
        return attempt.get();
      } catch (GreyException e) {
        if (!e.retryable() || retry >= policy.maxRetries() || !readyToRepeat.test(e)) {
          throw withSuppressed(e, earlier);
        }
        earlier.add(e);
        Duration delay = policy.backoff(retry, random);
        LOG.debug("{} failed ({}: {}); retry {} of {} in {}", what, e.code(), e.getMessage(), retry + 1,
            policy.maxRetries(), delay);
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          StoreUnavailableException stop = new StoreUnavailableException(
              what + ": interrupted while waiting to retry after: " + e.getMessage(), e);
          stop.addSuppressed(interrupted);
          throw stop;
        }
      }
    }
  }

  private static GreyException withSuppressed(GreyException last, List<GreyException> earlier) {
    for (GreyException e : earlier) {
      // A store may throw one shared instance repeatedly; an exception cannot suppress itself.
      if (e != last) {
        last.addSuppressed(e);
      }
    }
    return last;
  }

  private static boolean always(GreyException e) {
    return true;
  }

  private final class RetryingStore extends ForwardingBlobStore {
    RetryingStore(BlobStore inner) {
      super(inner);
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(options, "options");
      boolean marked = body.markSupported()
          && options.lengthKnown()
          && options.contentLength() <= MAX_REPLAY_BYTES;
      if (marked) {
        body.mark((int) options.contentLength() + READ_AHEAD_SLACK);
      }
      ConsumptionCountingInputStream counted = new ConsumptionCountingInputStream(body);
      return run("put " + key, () -> inner.put(key, counted, options), failure -> {
        if (counted.consumed() == 0) {
          return true;
        }
        if (!marked) {
          return false;
        }
        try {
          body.reset();
        } catch (IOException e) {
          failure.addSuppressed(e);
          return false;
        }
        counted.restart();
        return true;
      });
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      return run("get " + key, () -> inner.get(key, range), RetryLayer::always);
    }

    @Override
    public Optional<ObjectInfo> head(ObjectKey key) {
      return run("head " + key, () -> inner.head(key), RetryLayer::always);
    }

    @Override
    public ListPage list(ListRequest request) {
      return run("list " + request.prefix(), () -> inner.list(request), RetryLayer::always);
    }

    @Override
    public boolean delete(ObjectKey key) {
      return run("delete " + key, () -> inner.delete(key), RetryLayer::always);
    }

    @Override
    public Map<String, String> getTags(ObjectKey key) {
      return run("get tags of " + key, () -> inner.getTags(key), RetryLayer::always);
    }

    @Override
    public void setTags(ObjectKey key, Map<String, String> tags) {
      run("set tags of " + key, () -> {
        inner.setTags(key, tags);
        return null;
      }, RetryLayer::always);
    }

    @Override
    public URI presign(ObjectKey key, PresignRequest request) {
      return run("presign " + key, () -> inner.presign(key, request), RetryLayer::always);
    }
  }
}
