package io.grey.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.context.CallContext;
import io.grey.core.layer.RetryLayer;
import io.grey.core.layer.RetryPolicy;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.testkit.FaultyStore;
import io.grey.testkit.MemoryBlobStore;
import io.grey.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteringLayerTest {
  private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/build-1/out.bin");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(START);

  private static InputStream body(int size) {
    return new ByteArrayInputStream(new byte[size]);
  }

  private List<UsageRow> rows(CostService cost) {
    cost.flush();
    try (MeteringDb db = MeteringDb.open(dir.resolve("data/metering.db"))) {
      return new CostLedger(db, null, "USD").usage("", LocalDate.of(2026, 1, 1), LocalDate.of(2027, 1, 1));
    }
  }

  private static long sum(List<UsageRow> rows, java.util.function.ToLongFunction<UsageRow> f) {
    return rows.stream().mapToLong(f).sum();
  }

  @Test
  void aPutRetriedInsideTheRetryLayerCountsAsOneWrite() {
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      FaultyStore faulty = FaultyStore.wrap(MemoryBlobStore.create("local", clock));
      faulty.failNext(FaultyStore.Operation.PUT, 2, () -> new StoreUnavailableException("injected"));
      BlobStore store = Layer.stack(faulty,
          new RetryLayer(new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(1)), d -> { }, new Random(1)),
          cost.meteringLayer());

      store.put(KEY, body(1000), PutOptions.defaults());
      clock.advance(Duration.ofHours(1));

      List<UsageRow> rows = rows(cost);
      assertThat(faulty.calls(FaultyStore.Operation.PUT)).as("the store saw the two failures and the success")
          .isEqualTo(3);
      assertThat(sum(rows, UsageRow::writes)).as("one logical write").isEqualTo(1);
      assertThat(sum(rows, UsageRow::byteSeconds)).as("1000 bytes for one hour, stored once")
          .isEqualTo(1000L * 3600);
    }
  }

  @Test
  void anOverwriteReplacesTheSizeAndADeleteStopsStorageAccrual() {
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      store.put(KEY, body(1000), PutOptions.defaults());
      clock.advance(Duration.ofMinutes(30));
      store.put(KEY, body(400), PutOptions.defaults());
      clock.advance(Duration.ofMinutes(90));
      store.delete(KEY);
      clock.advance(Duration.ofHours(5));

      List<UsageRow> rows = rows(cost);
      assertThat(sum(rows, UsageRow::byteSeconds)).as("1000 B x 1800 s + 400 B x 5400 s, nothing after delete")
          .isEqualTo(1000L * 1800 + 400L * 5400);
      assertThat(rows.stream().filter(r -> r.byteSeconds() > 0).map(UsageRow::hour).distinct().count())
          .as("storage split over the two hours it spans").isEqualTo(2);
      assertThat(sum(rows, UsageRow::writes)).isEqualTo(2);
      assertThat(sum(rows, UsageRow::deletes)).isEqualTo(1);
      assertThat(rows).as("attributed to tenant, task and data class from the key")
          .allSatisfy(r -> assertThat(List.of(r.tenant(), r.task(), r.dataClass()))
              .containsExactly("acme", "build-1", "artifacts"));
    }
  }

  @Test
  void egressCountsOnlyTheBytesTheReaderConsumed() throws Exception {
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      store.put(KEY, body(10_000), PutOptions.defaults());
      try (ObjectContent whole = store.get(KEY)) {
        whole.stream().readAllBytes();
      }
      try (ObjectContent part = store.get(KEY)) {
        part.stream().readNBytes(100);
      }
      store.head(KEY);
      store.list(ListRequest.prefix("artifacts/acme/"));

      List<UsageRow> rows = rows(cost);
      assertThat(sum(rows, UsageRow::egressBytes)).as("10000 read in full + 100 of an abandoned read")
          .isEqualTo(10_100);
      assertThat(sum(rows, UsageRow::reads)).as("two gets and a head").isEqualTo(3);
      assertThat(sum(rows, UsageRow::lists)).isEqualTo(1);
      assertThat(rows.stream().filter(r -> r.lists() > 0).findFirst().orElseThrow().tenant())
          .as("a list under a tenant prefix is that tenant's").isEqualTo("acme");
    }
  }

  @Test
  void writesOfTheReplicatorCountAsReplicatedBytes() {
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("gcs", clock));
      CallContext.runAs(MeteringLayer.REPLICATOR, () -> {
        store.put(KEY, body(2048), PutOptions.defaults());
        try (ObjectContent read = store.get(KEY)) {
          read.readAllBytes();
        }
      });
      store.put(ObjectKey.of("artifacts/acme/build-1/other"), body(10), PutOptions.defaults());

      List<UsageRow> rows = rows(cost);
      assertThat(sum(rows, UsageRow::replicatedBytes)).as("only the replicator's put").isEqualTo(2048);
      assertThat(sum(rows, UsageRow::egressBytes)).as("the replicator's read is not egress").isZero();
      assertThat(rows).allSatisfy(r -> assertThat(r.store()).isEqualTo("gcs"));
    }
  }

  @Test
  void usageAndStoredObjectsSurviveARestart() {
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      store.put(KEY, body(500), PutOptions.defaults());
      clock.advance(Duration.ofHours(2));
    }
    // Down for 3 hours: the object is still stored, so it still accrues.
    clock.advance(Duration.ofHours(3));
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      clock.advance(Duration.ofHours(1));
      store.delete(KEY);
      List<UsageRow> rows = rows(cost);
      assertThat(sum(rows, UsageRow::writes)).as("the write before the restart is kept").isEqualTo(1);
      assertThat(sum(rows, UsageRow::byteSeconds)).as("500 B for all 6 hours, across the restart")
          .isEqualTo(500L * 6 * 3600);
    }
  }

  @Test
  void aFlushWithNothingNewAddsNothing() {
    try (CostService cost = CostService.open(CostFixture.config(dir, ""), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      store.put(KEY, body(1), PutOptions.defaults());
      cost.flush();
      cost.flush();
      cost.flush();
      assertThat(sum(rows(cost), UsageRow::writes)).as("repeated flushes never re-add a delta").isEqualTo(1);
    }
  }

}
