package io.grey.multicloud;

import io.grey.core.DataClass;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LocalStorageConfig;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStores;
import io.grey.core.store.Capabilities;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.StoreContext;
import io.grey.core.store.WriteCondition;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named stores (any mix of local, S3, GCS and Azure) composed into one {@link BlobStore}, with a replication
 * policy per data class, a durable outbox, health probes, routed reads with failover and write failover.
 *
 * <h2>Durability</h2>
 * When {@link #put}, {@link #delete} or {@link #setTags} returns, the change is durable in its <em>write
 * target</em> (the primary, or on failover the first healthy store of the class's targets that is not behind for
 * the key), and every other target of the key's data class has either been brought to the same state (sync), or
 * holds a durable row in the outbox ({@code <data_dir>/outbox.db}) that will bring it there (async, and sync
 * replicas that were down or too slow). Rows are written <em>before</em> the write target is touched, so a crash
 * at any instant leaves every replica converging to the write target's state after restart. Replication copies a
 * key's current state from the write target, conditional on the replica's version, so deletes and overwrites
 * replicate in order and an older state never replaces a newer one.
 *
 * <h2>Reads</h2>
 * A read tries the replicas of the key's class that are up and have no outbox row for the key (so a replica that
 * is behind, including a primary being repaired after an outage, never serves it), in the order of
 * {@code routing.strategy}, moving to the next on an error or after {@code routing.read_timeout}. Versions are
 * reported as the write target's token on every replica, so conditional writes work whichever replica was read.
 *
 * <p>Thread-safe. Closing it stops the replicator and health probes and closes every store and the outbox.
 */
public final class MultiCloudStore implements BlobStore {
  /** The actor replication calls run as, so that layers below (metering, audit) can tell them apart. */
  public static final String REPLICATOR = "grey-replicator";

  private static final Logger LOG = LoggerFactory.getLogger(MultiCloudStore.class);

  private final MultiCloudConfig config;
  private final Map<String, BlobStore> stores;
  private final Map<String, StoreHealth> health;
  private final Outbox outbox;
  private final Replicator replicator;
  private final HealthMonitor monitor;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong roundRobin = new AtomicLong();
  private final RandomGenerator random;
  private final Capabilities capabilities;
  private final Clock clock;

  private MultiCloudStore(MultiCloudConfig config, Map<String, BlobStore> stores, Path dataDir, Clock clock,
                          MeterRegistry registry, RandomGenerator random) {
    this.config = config;
    this.stores = stores;
    this.random = random;
    this.clock = clock;
    this.health = new LinkedHashMap<>();
    for (String name : stores.keySet()) {
      health.put(name, new StoreHealth(name, config.routing().downAfter(), config.routing().upAfter(), registry));
    }
    this.outbox = Outbox.open(dataDir, config.outboxSync(), clock);
    this.replicator = new Replicator(this, outbox, config, clock, registry, random);
    this.monitor = new HealthMonitor(this, config, clock, registry);
    Capabilities c = Capabilities.full();
    for (BlobStore s : stores.values()) {
      Capabilities o = s.capabilities();
      c = new Capabilities(c.conditionalWrite() && o.conditionalWrite(), c.tags() && o.tags(),
          c.userMetadata() && o.userMetadata(), c.rangedRead() && o.rangedRead(),
          c.unknownLengthPut() && o.unknownLengthPut(), c.presign() && o.presign());
    }
    this.capabilities = c;
  }

  /**
   * Composes {@code stores} (by name; every store {@code config} names must be there) with the outbox under
   * {@code dataDir}, and starts the replicator and, when {@code startProbes}, the health probes. Takes ownership
   * of the stores.
   *
   * @throws InvalidRequestException if a store the config names is missing
   */
  public static MultiCloudStore create(MultiCloudConfig config, Map<String, BlobStore> stores, Path dataDir,
                                       Clock clock, MeterRegistry registry, boolean startProbes) {
    Map<String, BlobStore> ordered = new LinkedHashMap<>();
    for (String name : config.storeNames()) {
      BlobStore s = stores.get(name);
      if (s == null) {
        throw new InvalidRequestException("multi_cloud names store '" + name + "' but none was given");
      }
      ordered.put(name, s);
    }
    MultiCloudStore store = new MultiCloudStore(config, ordered, dataDir, clock, registry,
        RandomGenerator.getDefault());
    store.replicator.start();
    if (startProbes) {
      store.monitor.start();
    }
    return store;
  }

  /**
   * Opens every store {@code config} names through {@link BlobStores} ({@code local} from {@code storage.local},
   * {@code aws}/{@code gcp}/{@code azure} from their sections, declared stores from {@code multi_cloud.stores}),
   * wraps each with {@code layers} (the server stacks metrics and retry there), and composes them with the outbox
   * at {@code <data_dir>/outbox.db}; probes start at once.
   *
   * @throws io.grey.core.ProviderNotAvailableException if a store's module is not on the class path
   */
  public static MultiCloudStore open(MultiCloudConfig config, StoreContext context, MeterRegistry registry,
                                     UnaryOperator<BlobStore> layers) {
    return open(config, context, registry, layers, true);
  }

  /**
   * As {@link #open(MultiCloudConfig, StoreContext, MeterRegistry, UnaryOperator)}, but when {@code background}
   * is false neither the replicator nor the probes start: for tools (verify, repair, status) that work on the
   * stores and the outbox while a server may be replicating from the same outbox.
   */
  public static MultiCloudStore open(MultiCloudConfig config, StoreContext context, MeterRegistry registry,
                                     UnaryOperator<BlobStore> layers, boolean background) {
    Map<String, BlobStore> opened = new LinkedHashMap<>();
    try {
      for (String name : config.storeNames()) {
        opened.put(name, layers.apply(openNamed(name, config, context)));
      }
    } catch (RuntimeException e) {
      opened.values().forEach(BlobStore::close);
      throw e;
    }
    if (!background) {
      return new MultiCloudStore(config, opened, context.dataDir(), context.clock(), registry,
          RandomGenerator.getDefault());
    }
    return create(config, opened, context.dataDir(), context.clock(), registry, true);
  }

  private static BlobStore openNamed(String name, MultiCloudConfig config, StoreContext context) {
    MultiCloudConfig.StoreSpec spec = config.stores().get(name);
    if (spec == null) {
      String kind = name.equals("local") ? "local" : BlobStores.kindReading(name);
      return BlobStores.open(kind, context);
    }
    StoreContext ctx = context;
    if (spec.root().isPresent()) {
      GreyConfig c = context.config();
      ctx = new StoreContext(c.withStorage(c.storage().withLocal(new LocalStorageConfig(spec.root().get()))),
          context.publicBaseUrl(), context.clock(), context.environment());
    }
    return new Renamed(BlobStores.open(spec.kind(), ctx), name);
  }

  /** A store reporting another name, for the declared stores whose provider names them after their kind. */
  private static final class Renamed extends ForwardingBlobStore {
    private final String name;

    Renamed(BlobStore inner, String name) {
      super(inner);
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }

  // ---------------------------------------------------------------- public extras

  /**
   * The one named store, for explicit targeting ({@code --store NAME}). Calls on it bypass replication and
   * routing: a write there is on that store only and no replica learns of it until a repair.
   *
   * @throws InvalidRequestException naming the known stores if there is none by that name
   */
  public BlobStore store(String name) {
    BlobStore s = stores.get(name);
    if (s == null) {
      throw new InvalidRequestException("no store named '" + name + "' (known: "
          + String.join(", ", stores.keySet()) + ")");
    }
    return s;
  }

  /** The names of the composed stores in failover order. */
  public List<String> storeNames() {
    return List.copyOf(stores.keySet());
  }

  /** The health of every store, in failover order. */
  public List<StoreHealth.Snapshot> storesStatus() {
    return health.values().stream().map(StoreHealth::snapshot).toList();
  }

  /** The health record of {@code name}. */
  public StoreHealth health(String name) {
    StoreHealth h = health.get(name);
    if (h == null) {
      throw new InvalidRequestException("no store named '" + name + "'");
    }
    return h;
  }

  /** The durable outbox. */
  public Outbox outbox() {
    return outbox;
  }

  /** The replicator (status, drain, retry of dead letters). */
  public Replicator replicator() {
    return replicator;
  }

  /** The health monitor (run a round of probes now, check lag). */
  public HealthMonitor monitor() {
    return monitor;
  }

  /** The configuration this store runs. */
  public MultiCloudConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- BlobStore

  @Override
  public String name() {
    return "multi_cloud";
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Writes to the key's write target and replicates per the class's policy; see the class comment for what is
   * durable where on return. A condition is evaluated atomically by the write target.
   *
   * @throws StoreUnavailableException if no target of the class is up, or (sync with {@code on_sync_failure: fail})
   *     a replica could not be written; in that case the replica is still queued and converges later
   */
  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    Copier.checkUserMetadata(options.metadata());
    Write w = prepare(key);
    BlobStore target = stores.get(w.source());
    WriteCondition condition = applied(w, () -> translate(options.condition(), w.source(), key));
    ObjectInfo info = applied(w, () -> call(w.source(), config.routing().writeTimeout(),
        () -> target.put(key, body, options.withCondition(condition))));
    finish(w);
    return Copier.logical(info);
  }

  /** Deletes on the write target and replicates the deletion per the class's policy; idempotent. */
  @Override
  public boolean delete(ObjectKey key) {
    Write w = prepare(key);
    boolean existed = applied(w, () -> call(w.source(), config.routing().writeTimeout(),
        () -> stores.get(w.source()).delete(key)));
    finish(w);
    return existed;
  }

  /** Replaces the tags on the write target and replicates them per the class's policy. */
  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    Write w = prepare(key);
    applied(w, () -> call(w.source(), config.routing().writeTimeout(), () -> {
      stores.get(w.source()).setTags(key, tags);
      return null;
    }));
    finish(w);
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    return readFirst(key, readOrder(key), (s, k) -> {
      ObjectContent c = s.get(k, range);
      return new ObjectContent(Copier.logical(c.info()), c.range(), c.stream());
    });
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    return readFirst(key, authoritativeOrder(key), (s, k) -> s.head(k).map(Copier::logical));
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    return readFirst(key, authoritativeOrder(key), BlobStore::getTags);
  }

  @Override
  public ListPage list(ListRequest request) {
    List<String> order = upFirst(listOrder(request.prefix()));
    GreyException last = null;
    for (String name : order) {
      try {
        ListPage page = call(name, config.routing().readTimeout(), () -> stores.get(name).list(request));
        List<ObjectInfo> objects = page.objects().stream().filter(o -> !HealthMonitor.reserved(o.key()))
            .map(Copier::logical).toList();
        return new ListPage(objects, page.nextToken());
      } catch (StoreUnavailableException | ThrottledException e) {
        last = e;
      }
    }
    throw unavailable("list " + request.prefix(), last);
  }

  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    if (!capabilities.presign()) {
      throw new InvalidRequestException("store 'multi_cloud' has no presign capability (one of its stores lacks it)");
    }
    List<String> order = authoritativeOrder(key);
    if (order.isEmpty()) {
      throw unavailable("presign " + key, null);
    }
    return stores.get(order.getFirst()).presign(key, request);
  }

  @Override
  public void close() {
    monitor.close();
    replicator.close();
    calls.shutdownNow();
    for (BlobStore s : stores.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("closing store '{}' failed: {}", s.name(), e.toString());
      }
    }
    outbox.close();
  }

  // ---------------------------------------------------------------- writes

  private record Write(ObjectKey key, String source, MultiCloudConfig.ClassPolicy policy, Outbox.Recorded recorded,
                       Optional<Long> behindSeq) {}

  /** Chooses the write target and records the write-ahead outbox rows for the other targets. */
  private Write prepare(ObjectKey key) {
    DataClass dc = dataClass(key);
    MultiCloudConfig.ClassPolicy policy = config.policy(dc);
    List<String> order = config.writeOrder(dc);
    String source = null;
    for (String name : order) {
      if (health.get(name).up() && !outbox.behind(name, key)) {
        source = name;
        break;
      }
    }
    if (source == null) {
      source = order.stream().filter(n -> health.get(n).up()).findFirst()
          .orElseThrow(() -> new StoreUnavailableException("no store holding " + dc.configName() + " is up ("
              + String.join(", ", order) + "); nothing was written"));
    }
    String chosen = source;
    Optional<Long> behindSeq = outbox.entry(chosen, key).map(Outbox.Entry::seq);
    List<String> others = order.stream().filter(n -> !n.equals(chosen)).toList();
    Outbox.Recorded recorded = others.isEmpty() ? new Outbox.Recorded(key, Map.of())
        : outbox.recordChange(key, chosen, others, key.dataClass(),
            Instant.now(clock).plus(config.routing().writeTimeout().multipliedBy(2)));
    return new Write(key, chosen, policy, recorded, behindSeq);
  }

  /**
   * Runs the write target's part of a write; when it fails the held rows are released at once (replicating the
   * unchanged state is harmless), except after a timeout, when the write may still land and the hold expires.
   */
  private <T> T applied(Write w, Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof TimeoutException)) {
        outbox.release(w.recorded());
        replicator.wake(w.recorded().seqByTarget().keySet());
      }
      throw e;
    }
  }

  /** Replicates a write that the write target acknowledged, per the policy. */
  private void finish(Write w) {
    // The write target now holds the newest state, whatever it was asked to catch up with before.
    w.behindSeq().ifPresent(seq -> outbox.complete(w.source(), w.key(), seq));
    Collection<String> targets = w.recorded().seqByTarget().keySet();
    if (targets.isEmpty()) {
      return;
    }
    if (w.policy().strategy() != MultiCloudConfig.Mode.SYNC) {
      outbox.release(w.recorded());
      replicator.wake(targets);
      return;
    }
    List<String> missed = replicator.replicateNow(w.key(), w.source(), w.recorded().seqByTarget(),
        config.routing().writeTimeout());
    if (!missed.isEmpty() && w.policy().onSyncFailure() == MultiCloudConfig.OnSyncFailure.FAIL) {
      throw new StoreUnavailableException("written to '" + w.source() + "' but not to " + String.join(", ", missed)
          + " in time; they are queued in the outbox and will catch up");
    }
  }

  /** A condition in terms of the write target's own version tokens (Grey reports the origin's). */
  private WriteCondition translate(WriteCondition condition, String name, ObjectKey key) {
    BlobStore target = stores.get(name);
    return switch (condition) {
      case WriteCondition.None n -> n;
      case WriteCondition.IfAbsent a -> a;
      case WriteCondition.IfVersion v -> {
        Optional<ObjectInfo> current = call(name, config.routing().readTimeout(), () -> target.head(key));
        if (current.isEmpty() || !Copier.origin(current.get()).equals(v.version())) {
          throw new PreconditionFailedException("version of " + key + " is not " + v.version());
        }
        yield WriteCondition.ifVersion(current.get().version());
      }
    };
  }

  // ---------------------------------------------------------------- reads

  private interface Read<T> {
    T apply(BlobStore store, ObjectKey key);
  }

  private <T> T readFirst(ObjectKey key, List<String> order, Read<T> read) {
    GreyException last = null;
    for (String name : order) {
      try {
        return call(name, config.routing().readTimeout(), () -> read.apply(stores.get(name), key));
      } catch (StoreUnavailableException | ThrottledException e) {
        last = e;
      } catch (NotFoundException e) {
        // Authoritative answer from the first replica that answers: the key is absent.
        throw e;
      }
    }
    throw unavailable("read " + key, last);
  }

  /** Replicas of the key's class that are up and current, in the routing strategy's order. */
  List<String> readOrder(ObjectKey key) {
    List<String> current = currentReplicas(key);
    List<String> ordered = switch (config.routing().strategy()) {
      case LATENCY_BASED -> byLatency(current).orElseGet(() -> byStrategy(config.routing().fallback(), current));
      case ROUND_ROBIN, WEIGHTED -> byStrategy(config.routing().strategy(), current);
    };
    return ordered;
  }

  private List<String> byStrategy(MultiCloudConfig.Strategy strategy, List<String> current) {
    return switch (strategy) {
      case LATENCY_BASED -> byLatency(current).orElse(current);
      case ROUND_ROBIN -> rotate(current, (int) Math.floorMod(roundRobin.getAndIncrement(), (long) Math.max(1,
          current.size())));
      case WEIGHTED -> weighted(current);
    };
  }

  private Optional<List<String>> byLatency(List<String> current) {
    List<String> sampled = current.stream().filter(n -> health.get(n).latency().isPresent()).toList();
    if (sampled.isEmpty()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>(sampled);
    out.sort((a, b) -> health.get(a).latency().get().compareTo(health.get(b).latency().get()));
    current.stream().filter(n -> !out.contains(n)).forEach(out::add);
    return Optional.of(out);
  }

  private static List<String> rotate(List<String> list, int by) {
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get((i + by) % list.size()));
    }
    return out;
  }

  private List<String> weighted(List<String> current) {
    List<String> pool = new ArrayList<>(current);
    List<String> out = new ArrayList<>();
    while (!pool.isEmpty()) {
      long total = pool.stream().mapToLong(n -> config.routing().weights().getOrDefault(n, 1)).sum();
      String pick = pool.getFirst();
      if (total > 0) {
        long r = random.nextLong(total);
        for (String n : pool) {
          r -= config.routing().weights().getOrDefault(n, 1);
          if (r < 0) {
            pick = n;
            break;
          }
        }
      }
      out.add(pick);
      pool.remove(pick);
    }
    return out;
  }

  /** The replicas a head or tag read trusts: current ones in failover order (the write target's first). */
  private List<String> authoritativeOrder(ObjectKey key) {
    return currentReplicas(key);
  }

  private List<String> currentReplicas(ObjectKey key) {
    List<String> out = new ArrayList<>();
    for (String name : config.writeOrder(dataClass(key))) {
      if (health.get(name).up() && !outbox.behind(name, key)) {
        out.add(name);
      }
    }
    return out;
  }

  private List<String> listOrder(String prefix) {
    int slash = prefix.indexOf('/');
    Optional<DataClass> dc = slash < 0 ? Optional.empty() : DataClass.ofPrefix(prefix.substring(0, slash));
    return dc.map(config::writeOrder).orElse(config.storeNames());
  }

  private List<String> upFirst(List<String> order) {
    return order.stream().filter(n -> health.get(n).up()).toList();
  }

  private static DataClass dataClass(ObjectKey key) {
    // Keys outside the three prefixes are kept like state: they are the node's own records.
    return key.dataClass().orElse(DataClass.STATE);
  }

  private StoreUnavailableException unavailable(String what, GreyException last) {
    return new StoreUnavailableException("cannot " + what + ": no store that holds it answered"
        + (last == null ? " (none is up and current)" : " (last error: " + last.getMessage() + ")"), last);
  }

  // ---------------------------------------------------------------- calls with timeouts

  /**
   * Runs {@code body} against store {@code name} on a virtual thread, waiting at most {@code timeout}, and feeds
   * the outcome to the store's health. The caller's actor is carried over to the thread.
   */
  <T> T call(String name, Duration timeout, Supplier<T> body) {
    return call(name, timeout, body, health.get(name));
  }

  /** As {@link #call(String, Duration, Supplier)}, feeding the outcome to {@code h} when it is not null. */
  <T> T call(String name, Duration timeout, Supplier<T> body, StoreHealth h) {
    String actor = CallContext.actor();

    long start = System.nanoTime();
    Future<T> future = calls.submit(() -> CallContext.callAs(actor, body));
    try {
      T result = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      feed(h, true, Duration.ofNanos(System.nanoTime() - start));
      return result;
    } catch (TimeoutException e) {
      future.cancel(true);
      feed(h, false, Duration.ofNanos(System.nanoTime() - start));
      throw new StoreUnavailableException("store '" + name + "' did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for store '" + name + "'", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof GreyException g) {
        boolean storeFault = g instanceof StoreUnavailableException || g instanceof ThrottledException;
        feed(h, !storeFault, Duration.ofNanos(System.nanoTime() - start));
        throw g;
      }
      feed(h, false, Duration.ofNanos(System.nanoTime() - start));
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreUnavailableException("store '" + name + "' failed: " + cause, cause);
    }
  }

  private static void feed(StoreHealth h, boolean ok, Duration elapsed) {
    if (h != null) {
      h.outcome(ok, elapsed);
    }
  }

  BlobStore raw(String name) {
    return stores.get(name);
  }

  StoreHealth healthOf(String name) {
    return health.get(name);
  }

  Map<String, StoreHealth> allHealth() {
    return health;
  }
}
