package io.grey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.testkit.FaultyStore.Hang;
import io.grey.testkit.FaultyStore.Operation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The fault injector fails, delays and passes calls as it was told. */
class FaultyStoreTest {
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/task-1/out.bin");

  private final MemoryBlobStore memory = MemoryBlobStore.create("memory");
  private final FaultyStore faulty = FaultyStore.wrap(memory);

  private ObjectInfo put(long seed) {
    return faulty.put(KEY, DeterministicBody.of(seed, 10).open(), PutOptions.ofLength(10));
  }

  @Test
  void failNextFailsExactlyThatManyCallsWithoutReachingTheStore() {
    faulty.failNext(Operation.PUT, 2, () -> new StoreUnavailableException("link down"));

    assertThatThrownBy(() -> put(1)).as("first put").isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> put(1)).as("second put").isInstanceOf(StoreUnavailableException.class);
    assertThat(memory.head(KEY)).as("nothing reached the wrapped store").isEmpty();
    ObjectInfo third = put(1);
    assertThat(memory.head(KEY)).as("third put passes through").contains(third);
    assertThat(faulty.calls(Operation.PUT)).as("puts counted").isEqualTo(3);
  }

  @Test
  void faultsOfOneOperationLeaveOthersAlone() {
    faulty.failNext(Operation.DELETE, 1, () -> new ThrottledException("slow down"));

    ObjectInfo info = put(2);

    assertThat(faulty.head(KEY)).as("head passes").contains(info);
    assertThatThrownBy(() -> faulty.delete(KEY)).as("delete").isInstanceOf(ThrottledException.class);
    assertThat(memory.head(KEY)).as("object survives the failed delete").contains(info);
  }

  @Test
  void failNextAfterApplyingLetsTheCallTakeEffectAndLosesTheReply() {
    faulty.failNextAfterApplying(Operation.PUT, 1, () -> new StoreUnavailableException("reply lost"));

    assertThatThrownBy(() -> put(3)).as("put whose reply is lost").isInstanceOf(StoreUnavailableException.class);
    assertThat(memory.head(KEY).orElseThrow().sha256()).as("the put was applied")
        .isEqualTo(DeterministicBody.of(3, 10).sha256());
  }

  @Test
  void hangBlocksCallsUntilReleased() throws Exception {
    put(4);
    Hang hang = faulty.hang(Operation.GET);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> read = threads.submit(() -> faulty.get(KEY).readAllBytes());
      await().atMost(Duration.ofSeconds(10)).until(() -> hang.waiting() == 1);
      assertThat(read.isDone()).as("read is still blocked").isFalse();

      hang.release();

      assertThat(read.get()).as("bytes after release").isEqualTo(DeterministicBody.of(4, 10).bytes());
    }
  }

  @Test
  void interruptedHangingCallFailsAsUnavailable() throws Exception {
    faulty.hang(Operation.HEAD);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller = Thread.ofVirtual().start(() -> {
      try {
        faulty.head(KEY);
        failure.complete(null);
      } catch (RuntimeException e) {
        failure.complete(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> faulty.calls(Operation.HEAD) == 1);
    caller.interrupt();

    assertThat(failure.get()).as("error of the interrupted call").isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void healDropsQueuedFaultsAndReleasesHangs() {
    faulty.failNext(Operation.PUT, 5, () -> new StoreUnavailableException("down"));
    Hang hang = faulty.hang(Operation.LIST);

    faulty.heal();

    assertThat(put(5).size()).as("put after heal").isEqualTo(10);
    assertThat(faulty.list(ListRequest.prefix("artifacts/")).objects()).as("list after heal")
        .hasSize(1);
    assertThat(hang.waiting()).as("no call waits in the released hang").isZero();
  }
}
