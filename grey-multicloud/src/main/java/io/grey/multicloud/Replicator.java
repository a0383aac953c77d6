package io.grey.multicloud;

import io.grey.core.DataClass;
import io.grey.core.GreyException;
import io.grey.core.ObjectKey;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the outbox: one dispatcher per target on a virtual thread hands due rows to at most
 * {@code replication.concurrency} copies at a time for that target (so a slow or hanging target holds up only its
 * own rows), each copy on its own virtual thread inside {@code CallContext.runAs("grey-replicator", ...)}. A
 * failed row is retried after the backoff of {@code replication.base_delay}/{@code max_delay} with full jitter,
 * and becomes a dead letter after {@code max_attempts} failures; rows of a target that is down wait without
 * counting attempts. Publishes {@code grey_replication_lag_seconds}, {@code grey_replication_queue_depth} and
 * {@code grey_replication_dead_letters} per target. Thread-safe.
 */
public final class Replicator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
  private static final int BATCH = 256;
  private static final Duration IDLE = Duration.ofSeconds(1);

  private final MultiCloudStore owner;
  private final Outbox outbox;
  private final MultiCloudConfig config;
  private final Clock clock;
  private final RandomGenerator random;
  private final Map<String, Semaphore> wakeups = new LinkedHashMap<>();
  private final Map<String, Semaphore> slots = new LinkedHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final List<Thread> dispatchers = new ArrayList<>();
  private volatile boolean closed;

  Replicator(MultiCloudStore owner, Outbox outbox, MultiCloudConfig config, Clock clock, MeterRegistry registry,
             RandomGenerator random) {
    this.owner = owner;
    this.outbox = outbox;
    this.config = config;
    this.clock = clock;
    this.random = random;
    for (String target : config.storeNames()) {
      wakeups.put(target, new Semaphore(0));
      slots.put(target, new Semaphore(config.replication().concurrency()));
      Gauge.builder("grey.replication.lag", this, r -> r.lag(target).toMillis() / 1000.0)
          .description("Age of the oldest change a target has not caught up with").baseUnit("seconds")
          .tag("target", target).register(registry);
      Gauge.builder("grey.replication.queue.depth", this, r -> r.outbox.count(target, Outbox.State.PENDING))
          .description("Changes a target has yet to catch up with").tag("target", target).register(registry);
      Gauge.builder("grey.replication.dead.letters", this, r -> r.outbox.count(target, Outbox.State.DEAD))
          .description("Changes that failed max_attempts times; re-queue with grey replication retry")
          .tag("target", target).register(registry);
    }
  }

  void start() {
    for (String target : wakeups.keySet()) {
      dispatchers.add(Thread.ofVirtual().name("grey-replicator-" + target).start(() -> dispatch(target)));
    }
  }

  /** Lets the dispatchers of {@code targets} look for work now. */
  void wake(Collection<String> targets) {
    for (String t : targets) {
      Semaphore s = wakeups.get(t);
      if (s != null && s.availablePermits() == 0) {
        s.release();
      }
    }
  }

  /** The age of the oldest pending change of {@code target}; zero when it is current. */
  public Duration lag(String target) {
    return outbox.oldestPending(target, Optional.empty())
        .map(t -> Duration.between(t, clock.instant())).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
  }

  /**
   * One target's replication state.
   *
   * @param target the store
   * @param pending changes waiting
   * @param dead changes that failed {@code max_attempts} times
   * @param lag age of the oldest pending change
   * @param degraded whether the lag exceeds a data class's tolerance
   */
  public record TargetStatus(String target, long pending, long dead, Duration lag, boolean degraded) {}

  /** The state of every target, in failover order. */
  public List<TargetStatus> status() {
    List<TargetStatus> out = new ArrayList<>();
    for (String t : config.storeNames()) {
      out.add(new TargetStatus(t, outbox.count(t, Outbox.State.PENDING), outbox.count(t, Outbox.State.DEAD), lag(t),
          owner.healthOf(t).degraded()));
    }
    return out;
  }

  /** Re-queues dead letters (all, or those of {@code target}) for another {@code max_attempts}; returns how many. */
  public int retryDead(Optional<String> target) {
    int n = outbox.retryDead(target);
    wake(target.map(List::of).orElse(config.storeNames()));
    return n;
  }

  /**
   * Waits until no target has a pending change, or {@code timeout} passes; returns whether it drained. Dead
   * letters do not count as pending.
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean empty = true;
      for (String t : config.storeNames()) {
        if (outbox.count(t, Outbox.State.PENDING) > 0) {
          empty = false;
          break;
        }
      }
      if (empty) {
        return true;
      }
      wake(config.storeNames());
      Thread.sleep(20);
    }
    return false;
  }

  /**
   * Brings every target of {@code seqByTarget} to {@code source}'s state of {@code key} now, in parallel, waiting
   * at most {@code timeout} for each; targets that are down, fail or are too slow keep their outbox row and are
   * returned.
   */
  List<String> replicateNow(ObjectKey key, String source, Map<String, Long> seqByTarget, Duration timeout) {
    Map<String, FutureTask<Void>> tasks = new LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    for (var e : seqByTarget.entrySet()) {
      String target = e.getKey();
      if (!owner.healthOf(target).up()) {
        missed.add(target);
        continue;
      }
      FutureTask<Void> task = new FutureTask<>(() -> {
        copy(source, target, key);
        outbox.complete(target, key, e.getValue());
        return null;
      });
      tasks.put(target, task);
      Thread.ofVirtual().name("grey-sync-" + target).start(task);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (var t : tasks.entrySet()) {
      try {
        t.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        missed.add(t.getKey());
        owner.healthOf(t.getKey()).outcome(false, timeout);
        LOG.warn("sync replica '{}' of {} did not answer within {}; left to the outbox", t.getKey(), key, timeout);
      } catch (ExecutionException e) {
        missed.add(t.getKey());
        LOG.warn("sync replica '{}' of {} failed: {}; left to the outbox", t.getKey(), key, e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        missed.add(t.getKey());
      }
    }
    if (!missed.isEmpty()) {
      Map<String, Long> left = new LinkedHashMap<>();
      missed.forEach(t -> left.put(t, seqByTarget.get(t)));
      outbox.release(new Outbox.Recorded(key, left));
      wake(missed);
    }
    return missed;
  }

  private void copy(String source, String target, ObjectKey key) {
    BlobStore from = owner.raw(source);
    BlobStore to = owner.raw(target);
    long start = System.nanoTime();
    try {
      CallContext.runAs(MultiCloudStore.REPLICATOR, () -> Copier.bringUpToDate(from, to, key));
      owner.healthOf(target).outcome(true, Duration.ofNanos(System.nanoTime() - start));
    } catch (GreyException e) {
      if (e.retryable()) {
        owner.healthOf(target).outcome(false, Duration.ofNanos(System.nanoTime() - start));
      }
      throw e;
    }
  }

  private void dispatch(String target) {
    Semaphore wakeup = wakeups.get(target);
    Semaphore slot = slots.get(target);
    while (!closed) {
      try {
        int started = 0;
        if (owner.healthOf(target).up()) {
          for (Outbox.Entry e : outbox.due(target, clock.instant(), BATCH)) {
            String id = target + "\u0000" + e.key().value();
            if (inFlight.contains(id)) {
              continue;
            }
            if (!owner.healthOf(e.source()).up()) {
              // The store holding the current state is down: wait for it without spending an attempt.
              outbox.fail(target, e.key(), e.seq(), e.lastError(), clock.instant().plus(IDLE), false, false);
              continue;
            }
            slot.acquire();
            if (closed) {
              slot.release();
              return;
            }
            inFlight.add(id);
            started++;
            Thread.ofVirtual().name("grey-replicate-" + target).start(() -> {
              try {
                process(e);
              } finally {
                inFlight.remove(id);
                slot.release();
                wake(List.of(target));
              }
            });
          }
        }
        if (started == 0) {
          Duration wait = IDLE;
          Optional<Instant> next = outbox.nextDue(target);
          if (next.isPresent()) {
            Duration until = Duration.between(clock.instant(), next.get());
            wait = until.isNegative() ? Duration.ofMillis(50) : until.compareTo(IDLE) < 0 ? until : IDLE;
          }
          wakeup.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("replicator of '{}' hit {}; continuing", target, e.toString());
        try {
          wakeup.tryAcquire(IDLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void process(Outbox.Entry e) {
    try {
      copy(e.source(), e.target(), e.key());
      outbox.complete(e.target(), e.key(), e.seq());
    } catch (GreyException | IllegalStateException ex) {
      if (closed) {
        return;
      }
      int attempts = e.attempts() + 1;
      boolean dead = attempts >= config.replication().maxAttempts();
      Duration backoff = config.replication().retry().backoff(Math.min(attempts - 1, 40), random);
      outbox.fail(e.target(), e.key(), e.seq(), ex.getMessage() == null ? ex.toString() : ex.getMessage(),
          clock.instant().plus(backoff), dead, true);
      if (dead) {
        LOG.warn("replication of {} to '{}' failed {} times and is a dead letter: {}", e.key(), e.target(), attempts,
            ex.getMessage());
      }
    }
  }

  /** The data classes replicated asynchronously to {@code target}, for lag checks. */
  List<DataClass> asyncClassesOf(String target) {
    List<DataClass> out = new ArrayList<>();
    for (DataClass c : DataClass.values()) {
      MultiCloudConfig.ClassPolicy p = config.policy(c);
      if (p.strategy() == MultiCloudConfig.Mode.ASYNC && p.targets().contains(target)) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : dispatchers) {
      t.interrupt();
    }
    for (Thread t : dispatchers) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    // Copies still running (a hanging target) are abandoned: their rows stay in the outbox and replay later.
  }

}
