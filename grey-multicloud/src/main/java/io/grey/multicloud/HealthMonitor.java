package io.grey.multicloud;

import io.grey.core.DataClass;
import io.grey.core.ObjectKey;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every store each {@code routing.health_check_interval} with a tiny write, read and delete under the
 * reserved key {@code state/_grey/health/<node>}, feeding the outcome to the store's {@link StoreHealth} (up/down
 * with hysteresis), and checks each async target's lag against its classes' {@code lag_tolerance}: a target over
 * it is marked degraded, logged once as the event {@code replication_lag_exceeded} and counted in
 * {@code grey_replication_lag_exceeded_total}. Probes of different stores run in parallel on virtual threads, so
 * a hanging store delays nobody else's probe. Thread-safe.
 */
public final class HealthMonitor implements AutoCloseable {
  /** The prefix of keys Grey reserves for its own probes; listings through the multi-cloud store hide them. */
  public static final String RESERVED_PREFIX = "state/_grey/";

  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  private final MultiCloudStore owner;
  private final MultiCloudConfig config;
  private final Clock clock;
  private final MeterRegistry registry;
  private final ObjectKey probeKey;
  private final Map<String, Boolean> over = new ConcurrentHashMap<>();
  private volatile Thread loop;
  private volatile boolean closed;

  HealthMonitor(MultiCloudStore owner, MultiCloudConfig config, Clock clock, MeterRegistry registry) {
    this.owner = owner;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.probeKey = ObjectKey.of(RESERVED_PREFIX + "health/" + config.node());
  }

  /** Whether {@code key} is one of Grey's reserved probe keys. */
  public static boolean reserved(ObjectKey key) {
    return key.value().startsWith(RESERVED_PREFIX);
  }

  void start() {
    loop = Thread.ofVirtual().name("grey-health").start(() -> {
      while (!closed) {
        try {
          probeAll();
          checkLag();
          Thread.sleep(config.routing().healthCheckInterval());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.warn("health round failed: {}", e.toString());
        }
      }
    });
  }

  /** Probes every store once, in parallel, and returns when all have answered or timed out. */
  public void probeAll() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (String name : owner.storeNames()) {
      threads.add(Thread.ofVirtual().name("grey-probe-" + name).start(() -> probe(name)));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Probes store {@code name} once and returns whether the probe passed. */
  public boolean probe(String name) {
    BlobStore store = owner.raw(name);
    StoreHealth health = owner.healthOf(name);
    byte[] body = ("probe " + clock.instant()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long start = System.nanoTime();
    boolean ok;
    try {
      ok = owner.call(name, config.routing().readTimeout(), () -> CallContext.callAs(MultiCloudStore.REPLICATOR,
          () -> {
            store.put(probeKey, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
            boolean same = Arrays.equals(store.get(probeKey).readAllBytes(), body);
            store.delete(probeKey);
            return same;
          }), null);
    } catch (RuntimeException e) {
      ok = false;
    }
    boolean wasUp = health.up();
    health.probed(ok, Duration.ofNanos(System.nanoTime() - start));
    if (wasUp != health.up()) {
      LOG.warn("event=store_{} store={}", health.up() ? "up" : "down", name);
      if (health.up()) {
        owner.replicator().wake(List.of(name));
      }
    }
    return ok;
  }

  /** Compares every async target's oldest pending change with its classes' lag tolerance and marks it degraded. */
  public void checkLag() {
    Instant now = clock.instant();
    for (String target : owner.storeNames()) {
      boolean degraded = false;
      for (DataClass c : owner.replicator().asyncClassesOf(target)) {
        Optional<Instant> oldest = owner.outbox().oldestPending(target, Optional.of(c));
        Duration tolerance = config.policy(c).lagTolerance();
        boolean exceeded = oldest.isPresent() && Duration.between(oldest.get(), now).compareTo(tolerance) > 0;
        String id = target + "/" + c.configName();
        boolean before = over.getOrDefault(id, false);
        if (exceeded && !before) {
          LOG.warn("event=replication_lag_exceeded target={} data_class={} lag={} tolerance={}", target,
              c.configName(), Duration.between(oldest.get(), now), tolerance);
          Counter.builder("grey.replication.lag.exceeded").description("Times a target's lag passed its tolerance")
              .tag("target", target).tag("data_class", c.configName()).register(registry).increment();
        }
        over.put(id, exceeded);
        degraded |= exceeded;
      }
      owner.healthOf(target).degraded(degraded);
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t = loop;
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
