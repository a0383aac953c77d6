package io.grey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the memory store does beyond the contract. */
class MemoryBlobStoreTest {
  private static final ObjectKey KEY = ObjectKey.of("state/acme/cursor");

  @Test
  void lastModifiedComesFromTheInjectedClock() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    MemoryBlobStore store = MemoryBlobStore.create("memory", Clock.fixed(now, ZoneOffset.UTC));

    ObjectInfo info = store.put(KEY, DeterministicBody.of(1, 3).open(), PutOptions.ofLength(3));

    assertThat(info.lastModified()).as("last modified").isEqualTo(now);
  }

  @Test
  void identicalBytesGetANewVersionOnEveryPut() {
    MemoryBlobStore store = MemoryBlobStore.create("memory");

    String first = store.put(KEY, DeterministicBody.of(1, 3).open(), PutOptions.ofLength(3)).version();
    String second = store.put(KEY, DeterministicBody.of(1, 3).open(), PutOptions.ofLength(3)).version();

    assertThat(second).as("version of a rewrite with the same bytes").isNotEqualTo(first);
  }

  @Test
  void corruptingAnAbsentKeyReportsFalse() {
    assertThat(MemoryBlobStore.create("memory").corruptStoredBody(KEY)).as("corrupting nothing").isFalse();
  }

  @Test
  void callsAfterCloseFailAsUnavailable() {
    MemoryBlobStore store = MemoryBlobStore.create("memory");
    store.close();

    assertThatThrownBy(() -> store.head(KEY)).as("head on a closed store")
        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
  }
}
