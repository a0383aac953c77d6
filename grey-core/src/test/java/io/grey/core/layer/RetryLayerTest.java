package io.grey.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grey.core.GreyException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ListRequest;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryLayerTest {
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/task-1/out.bin");
  private static final byte[] BODY = "the body of an artifact, long enough to be read in part".getBytes(StandardCharsets.UTF_8);

  private final InMemoryStore memory = new InMemoryStore("mem");
  private final FlakyStore flaky = new FlakyStore(memory);
  private final List<Duration> sleeps = new ArrayList<>();
  private final Sleeper recordingSleeper = sleeps::add;

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private BlobStore retrying(RetryPolicy policy) {
    return new RetryLayer(policy, recordingSleeper, new SplittableRandom(7)).wrap(flaky);
  }

  private BlobStore retrying() {
    return retrying(RetryPolicy.defaults());
  }

  private static StoreUnavailableException unavailable(int n) {
    return new StoreUnavailableException("connection reset #" + n);
  }

  private void storeBody() {
    memory.put(KEY, new ByteArrayInputStream(BODY), PutOptions.ofLength(BODY.length));
  }

  @Test
  void storeUnavailableErrorsAreRetriedUntilTheCallSucceeds() {
    storeBody();
    flaky.failNext("head", unavailable(1), unavailable(2));

    assertThat(retrying().head(KEY)).as("head after two transient failures").isPresent();
    assertThat(flaky.calls("head")).as("calls: two failures and the success").isEqualTo(3);
    assertThat(sleeps).as("one wait before each retry").hasSize(2);
  }

  @Test
  void throttledErrorsAreRetried() {
    storeBody();
    flaky.failNext("get_tags", new ThrottledException("slow down"));

    assertThat(retrying().getTags(KEY)).as("tags after a throttle").isEmpty();
    assertThat(flaky.calls("get_tags")).as("calls").isEqualTo(2);
  }

  @Test
  void nonRetryableErrorsAreThrownWithoutRetrying() {
    flaky.failNext("set_tags", new PreconditionFailedException("version moved"));

    assertThatThrownBy(() -> retrying().setTags(KEY, Map.of("a", "b")))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(flaky.calls("set_tags")).as("a non-retryable error is not repeated").isEqualTo(1);
    assertThat(sleeps).as("no wait").isEmpty();
  }

  @Test
  void notFoundIsThrownWithoutRetrying() {
    assertThatThrownBy(() -> retrying().get(KEY)).isInstanceOf(NotFoundException.class);
    assertThat(flaky.calls("get")).as("calls").isEqualTo(1);
  }

  @Test
  void exceptionsThatAreNotGreyErrorsAreThrownWithoutRetrying() {
    flaky.failNext("list", new IllegalStateException("bug in a store"));

    assertThatThrownBy(() -> retrying().list(ListRequest.prefix("")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(flaky.calls("list")).as("calls").isEqualTo(1);
  }

  @Test
  void afterTheLastRetryTheLastErrorIsThrownWithTheEarlierOnesSuppressed() {
    flaky.failNext("head", unavailable(1), unavailable(2), unavailable(3), unavailable(4), unavailable(5));

    StoreUnavailableException thrown = catchThrowableOfType(StoreUnavailableException.class,
        () -> retrying(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(1))).head(KEY));

    assertThat(thrown).as("the error of the fourth and last attempt").hasMessage("connection reset #4");
    assertThat(thrown.getSuppressed()).as("the three earlier errors")
        .extracting(Throwable::getMessage)
        .containsExactly("connection reset #1", "connection reset #2", "connection reset #3");
    assertThat(flaky.calls("head")).as("first attempt plus three retries").isEqualTo(4);
  }

  @Test
  void aPolicyWithZeroRetriesCallsOnce() {
    flaky.failNext("head", unavailable(1));

    assertThatThrownBy(() -> retrying(RetryPolicy.none()).head(KEY)).isInstanceOf(StoreUnavailableException.class);
    assertThat(flaky.calls("head")).as("calls").isEqualTo(1);
  }

  @Test
  void waitsFollowTheJitteredExponentialBackoffOfThePolicy() {
    RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(500));
    flaky.failNext("head", unavailable(1), unavailable(2), unavailable(3), unavailable(4));
    storeBody();

    retrying(policy).head(KEY);

    SplittableRandom sameSeed = new SplittableRandom(7);
    List<Duration> expected = new ArrayList<>();
    for (int retry = 0; retry < 4; retry++) {
      expected.add(policy.backoff(retry, sameSeed));
    }
    assertThat(sleeps).as("waits drawn from the injected random generator").isEqualTo(expected);
    for (int retry = 0; retry < 4; retry++) {
      assertThat(sleeps.get(retry)).as("wait before retry %d", retry + 1)
          .isBetween(Duration.ZERO, policy.delayBound(retry));
    }
    assertThat(policy.delayBound(3)).as("the fourth bound is capped").isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void anInterruptedWaitRestoresTheInterruptAndThrowsStoreUnavailable() {
    flaky.failNext("head", new ThrottledException("slow down"));
    Sleeper interrupted = d -> {
      throw new InterruptedException("shutting down");
    };
    BlobStore store = new RetryLayer(RetryPolicy.defaults(), interrupted, new SplittableRandom(1)).wrap(flaky);

    StoreUnavailableException thrown = catchThrowableOfType(StoreUnavailableException.class, () -> store.head(KEY));

    assertThat(thrown).as("error naming the interruption").hasMessageContaining("interrupted");
    assertThat(thrown.getCause()).as("cause is the error that was being retried").isInstanceOf(ThrottledException.class);
    assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag restored").isTrue();
    assertThat(flaky.calls("head")).as("no attempt after the interruption").isEqualTo(1);
  }

  static Stream<Arguments> idempotentOperations() {
    return Stream.of(
        Arguments.of("get", (Consumer<BlobStore>) s -> s.get(KEY, ReadRange.all()).close()),
        Arguments.of("head", (Consumer<BlobStore>) s -> s.head(KEY)),
        Arguments.of("list", (Consumer<BlobStore>) s -> s.list(ListRequest.prefix("artifacts/"))),
        Arguments.of("delete", (Consumer<BlobStore>) s -> s.delete(KEY)),
        Arguments.of("get_tags", (Consumer<BlobStore>) s -> s.getTags(KEY)),
        Arguments.of("set_tags", (Consumer<BlobStore>) s -> s.setTags(KEY, Map.of("team", "ml"))),
        Arguments.of("presign", (Consumer<BlobStore>) s -> s.presign(KEY, PresignRequest.get(Duration.ofMinutes(5)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("idempotentOperations")
  void idempotentOperationsAreRetriedFreely(String operation, Consumer<BlobStore> call) {
    storeBody();
    flaky.failNext(operation, unavailable(1), unavailable(2));

    call.accept(retrying());

    assertThat(flaky.calls(operation)).as("%s: two failures and the success", operation).isEqualTo(3);
  }

  @Test
  void aPutWhoseBodyWasNotTouchedIsRetriedEvenWithoutMarkSupport() {
    flaky.failNext("put", unavailable(1));
    InputStream body = unmarkable(BODY);

    retrying().put(KEY, body, PutOptions.defaults());

    assertThat(flaky.calls("put")).as("calls").isEqualTo(2);
    assertThat(memory.body(KEY)).as("stored body").isEqualTo(BODY);
  }

  @Test
  void aPartlyReadPutIsReplayedFromItsMarkWhenTheLengthIsKnownAndSmall() {
    flaky.failNextPutAfterReading(10, unavailable(1));

    retrying().put(KEY, new ByteArrayInputStream(BODY), PutOptions.ofLength(BODY.length));

    assertThat(flaky.calls("put")).as("calls").isEqualTo(2);
    assertThat(memory.body(KEY)).as("the whole body, from its start, was stored").isEqualTo(BODY);
  }

  @Test
  void aPartlyReadPutIsReplayedOnEveryRetry() {
    flaky.failNextPutAfterReading(5, unavailable(1));
    flaky.failNextPutAfterReading(20, unavailable(2));

    retrying().put(KEY, new ByteArrayInputStream(BODY), PutOptions.ofLength(BODY.length));

    assertThat(flaky.calls("put")).as("calls").isEqualTo(3);
    assertThat(memory.body(KEY)).as("stored body").isEqualTo(BODY);
  }

  @Test
  void aPartlyReadPutIsNotRetriedWhenTheBodyCannotBeReset() {
    flaky.failNextPutAfterReading(10, unavailable(1));

    assertThatThrownBy(() -> retrying().put(KEY, unmarkable(BODY), PutOptions.ofLength(BODY.length)))
        .as("the original error").isInstanceOf(StoreUnavailableException.class).hasMessage("connection reset #1");
    assertThat(flaky.calls("put")).as("calls").isEqualTo(1);
  }

  @Test
  void aPartlyReadPutIsNotRetriedWhenTheLengthIsUnknown() {
    flaky.failNextPutAfterReading(10, unavailable(1));

    assertThatThrownBy(() -> retrying().put(KEY, new ByteArrayInputStream(BODY), PutOptions.defaults()))
        .isInstanceOf(StoreUnavailableException.class).hasMessage("connection reset #1");
    assertThat(flaky.calls("put")).as("calls").isEqualTo(1);
  }

  @Test
  void aPartlyReadPutLargerThanEightMebibytesIsNotRetried() {
    flaky.failNextPutAfterReading(10, unavailable(1));
    long length = RetryLayer.MAX_REPLAY_BYTES + 1;

    assertThatThrownBy(() -> retrying().put(KEY, new PatternInputStream(length), PutOptions.ofLength(length)))
        .isInstanceOf(StoreUnavailableException.class).hasMessage("connection reset #1");
    assertThat(flaky.calls("put")).as("calls").isEqualTo(1);
  }

  @Test
  void aPartlyReadPutOfExactlyEightMebibytesIsReplayed() {
    flaky.failNextPutAfterReading(4096, unavailable(1));
    long length = RetryLayer.MAX_REPLAY_BYTES;

    retrying().put(KEY, new PatternInputStream(length), PutOptions.ofLength(length));

    assertThat(flaky.calls("put")).as("calls").isEqualTo(2);
    byte[] stored = memory.body(KEY);
    assertThat(stored).as("stored length").hasSize((int) length);
    assertThat(stored[0]).as("first byte is the pattern's first byte").isEqualTo((byte) 0);
    assertThat(stored[4096]).as("byte 4096 follows the pattern").isEqualTo((byte) 4096);
  }

  @Test
  void aConditionalPutThatFailsWithAPreconditionIsNotRetried() {
    storeBody();

    assertThatThrownBy(() -> retrying().put(KEY, new ByteArrayInputStream(BODY),
        PutOptions.ofLength(BODY.length).withCondition(WriteCondition.ifAbsent())))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(flaky.calls("put")).as("calls").isEqualTo(1);
  }

  @Test
  void aNonRetryableErrorAfterRetriesCarriesTheEarlierErrorsAsSuppressed() {
    flaky.failNext("get", unavailable(1), new NotFoundException("gone"));

    GreyException thrown = catchThrowableOfType(NotFoundException.class, () -> retrying().get(KEY));

    assertThat(thrown.getSuppressed()).as("the transient error before it")
        .extracting(Throwable::getMessage).containsExactly("connection reset #1");
  }

  private static InputStream unmarkable(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  /** A markable stream of {@code length} bytes where byte i is (byte) i, generated without an array. */
  private static final class PatternInputStream extends InputStream {
    private final long length;
    private long position;
    private long mark;

    PatternInputStream(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      return position < length ? (int) (position++ & 0xff) : -1;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(len, length - position);
      for (int i = 0; i < n; i++) {
        buf[off + i] = (byte) position++;
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public synchronized void mark(int readlimit) {
      mark = position;
    }

    @Override
    public synchronized void reset() {
      position = mark;
    }
  }
}
