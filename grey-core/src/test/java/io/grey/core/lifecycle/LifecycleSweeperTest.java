package io.grey.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.TestClock;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.TransitionConfig;
import io.grey.core.layer.InMemoryStore;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleSweeperTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStore store = new InMemoryStore("mem", clock);

  private void put(String key, int size) {
    store.put(ObjectKey.of(key), new ByteArrayInputStream(new byte[size]), PutOptions.ofLength(size));
  }

  private LifecycleSweeper sweeper(BlobStore on, LifecycleRule... rules) {
    return new LifecycleSweeper(on, List.of(rules), clock);
  }

  @Test
  void objectsOlderThanTheRuleAreDeletedAndCounted() {
    put("artifacts/acme/t1/old-a", 10);
    put("artifacts/acme/t1/old-b", 5);
    clock.advance(Duration.ofDays(2));
    put("artifacts/acme/t1/new", 7);
    clock.advance(Duration.ofHours(1));

    SweepReport report = sweeper(store, new LifecycleRule("artifacts/", Duration.ofDays(1))).sweep();

    assertThat(report).as("3 scanned, the 2 old ones deleted, 15 bytes freed")
        .isEqualTo(new SweepReport(3, 2, 15));
    assertThat(store.head(ObjectKey.of("artifacts/acme/t1/new"))).as("the young object stays").isPresent();
    assertThat(store.head(ObjectKey.of("artifacts/acme/t1/old-a"))).as("old object deleted").isEmpty();
  }

  @Test
  void anObjectExactlyAtTheAgeLimitIsKept() {
    put("artifacts/acme/t1/edge", 1);
    clock.advance(Duration.ofDays(1));

    SweepReport report = sweeper(store, new LifecycleRule("artifacts/", Duration.ofDays(1))).sweep();

    assertThat(report.deleted()).as("age equal to expireAfter is not older than it").isZero();
  }

  @Test
  void objectsOutsideTheRulesPrefixAreNotTouched() {
    put("proofs/acme/t1/p", 3);
    put("artifacts/acme/t1/a", 4);
    clock.advance(Duration.ofDays(30));

    SweepReport report = sweeper(store, new LifecycleRule("artifacts/", Duration.ofDays(1))).sweep();

    assertThat(report).isEqualTo(new SweepReport(1, 1, 4));
    assertThat(store.head(ObjectKey.of("proofs/acme/t1/p"))).as("proof outside the prefix kept").isPresent();
  }

  @Test
  void eachRuleAppliesItsOwnAge() {
    put("artifacts/acme/t1/a", 1);
    put("state/acme/s", 1);
    clock.advance(Duration.ofDays(5));

    SweepReport report = sweeper(store,
        new LifecycleRule("artifacts/", Duration.ofDays(3)),
        new LifecycleRule("state/", Duration.ofDays(10))).sweep();

    assertThat(report).isEqualTo(new SweepReport(2, 1, 1));
    assertThat(store.head(ObjectKey.of("state/acme/s"))).as("state younger than its 10 days").isPresent();
  }

  @Test
  void aSweepCoversMoreThanOneListingPage() {
    for (int i = 0; i < 1005; i++) {
      put("artifacts/acme/t1/f%04d".formatted(i), 1);
    }
    clock.advance(Duration.ofDays(2));

    SweepReport report = sweeper(store, new LifecycleRule("artifacts/", Duration.ofDays(1))).sweep();

    assertThat(report).as("all 1005 objects over two pages").isEqualTo(new SweepReport(1005, 1005, 1005));
    assertThat(store.listAll("artifacts/")).isEmpty();
  }

  @Test
  void anObjectRewrittenAfterItWasListedIsNotDeleted() {
    put("artifacts/acme/t1/busy", 8);
    clock.advance(Duration.ofDays(2));
    ObjectKey busy = ObjectKey.of("artifacts/acme/t1/busy");
    // A writer replaces the object after the sweeper listed it: the listing still shows the old version.
    // The new version is stamped as old as well, so only the version check can save it.
    BlobStore racing = new ForwardingBlobStore(store) {
      @Override
      public ListPage list(ListRequest request) {
        ListPage page = inner.list(request);
        clock.advance(Duration.ofDays(-2));
        inner.put(busy, new ByteArrayInputStream(new byte[3]), PutOptions.ofLength(3));
        clock.advance(Duration.ofDays(2));
        return page;
      }
    };

    SweepReport report = sweeper(racing, new LifecycleRule("artifacts/", Duration.ofDays(1))).sweep();

    assertThat(report.deleted()).as("the rewritten object is skipped").isZero();
    assertThat(store.head(busy)).as("the new version survives").get()
        .extracting(info -> info.size()).isEqualTo(3L);
  }

  @Test
  void anObjectDeletedAfterItWasListedIsSkipped() {
    put("artifacts/acme/t1/gone", 8);
    clock.advance(Duration.ofDays(2));
    BlobStore racing = new ForwardingBlobStore(store) {
      @Override
      public ListPage list(ListRequest request) {
        ListPage page = inner.list(request);
        inner.delete(ObjectKey.of("artifacts/acme/t1/gone"));
        return page;
      }
    };

    SweepReport report = sweeper(racing, new LifecycleRule("artifacts/", Duration.ofDays(1))).sweep();

    assertThat(report).as("scanned, but nothing deleted or freed by this sweep").isEqualTo(new SweepReport(1, 0, 0));
  }

  @Test
  void aConfiguredRuleExpiresAfterItsDaysAndIgnoresTransitions() {
    LifecycleRuleConfig config = new LifecycleRuleConfig("artifacts/", 365,
        List.of(new TransitionConfig(30, "INFREQUENT_ACCESS")));

    assertThat(LifecycleRule.from(config)).isEqualTo(new LifecycleRule("artifacts/", Duration.ofDays(365)));
  }

  @Test
  void aRuleNeedsAPrefixAndAPositiveAge() {
    assertThatThrownBy(() -> new LifecycleRule("", Duration.ofDays(1))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("prefix must not be empty");
    assertThatThrownBy(() -> new LifecycleRule("a/", Duration.ZERO)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("must be positive");
  }
}
