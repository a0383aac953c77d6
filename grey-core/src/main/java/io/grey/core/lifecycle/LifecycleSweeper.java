package io.grey.core.lifecycle;

import io.grey.core.store.BlobStore;
import io.grey.core.store.ObjectInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies expiration rules to a store: each {@link #sweep()} lists every rule's prefix and deletes the objects
 * last written longer than the rule's {@code expireAfter} ago, by the injected clock.
 *
 * <p>A listing can be stale: an object may be rewritten after it was listed. Right before deleting, the sweeper
 * therefore reads the object's current version with {@code head} and skips it when the version changed or the
 * new version is not expired. The SPI has no conditional delete, so a rewrite that lands between that
 * {@code head} and the {@code delete} (a window of one store round trip) can still be deleted; writers that
 * must never lose a fresh version under an expiring prefix should write under a different key.
 *
 * <p>Safe to call from any thread; a sweep that fails half-way (store unavailable) throws, and the next sweep
 * simply continues the work since deleting is idempotent.
 */
public final class LifecycleSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleSweeper.class);

  private final BlobStore store;
  private final List<LifecycleRule> rules;
  private final Clock clock;

  /** A sweeper applying {@code rules} to {@code store}, judging age by {@code clock}. */
  public LifecycleSweeper(BlobStore store, List<LifecycleRule> rules, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.rules = List.copyOf(rules);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Deletes every expired object under the rules' prefixes once.
   *
   * @return how many objects were scanned and deleted and how many bytes were freed
   */
  public SweepReport sweep() {
    Instant now = clock.instant();
    long scanned = 0;
    long deleted = 0;
    long bytes = 0;
    for (LifecycleRule rule : rules) {
      Instant cutoff = now.minus(rule.expireAfter());
      for (ObjectInfo listed : store.listAll(rule.prefix())) {
        scanned++;
        if (!listed.lastModified().isBefore(cutoff)) {
          continue;
        }
        Optional<ObjectInfo> current = store.head(listed.key());
        if (current.isEmpty() || !current.get().version().equals(listed.version())
            || !current.get().lastModified().isBefore(cutoff)) {
          continue;
        }
        if (store.delete(listed.key())) {
          deleted++;
          bytes += current.get().size();
        }
      }
    }
    if (deleted > 0) {
      LOG.info("lifecycle sweep of {}: scanned {}, deleted {}, freed {} bytes", store.name(), scanned, deleted,
          bytes);
    }
    return new SweepReport(scanned, deleted, bytes);
  }
}
