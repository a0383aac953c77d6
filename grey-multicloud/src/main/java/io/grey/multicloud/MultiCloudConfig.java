package io.grey.multicloud;

import io.grey.core.DataClass;
import io.grey.core.InvalidRequestException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.GreyConfig;
import io.grey.core.layer.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The top-level {@code multi_cloud:} section: which named stores Grey composes, how reads are routed and how each
 * data class is replicated. Immutable; validated on construction.
 *
 * @param primary the store writes go to first and whose version is authoritative ({@code primary})
 * @param secondary the next store in failover order, or "" ({@code secondary})
 * @param tertiary the store after that, or "" ({@code tertiary})
 * @param stores extra named stores declared inside the section ({@code stores})
 * @param routing how reads choose a replica ({@code routing})
 * @param replication the policy of each data class and the replicator's limits ({@code replication})
 * @param outboxSync how the outbox commits ({@code outbox_sync}: {@code full}, the default, survives power loss;
 *     {@code normal} survives a killed process but may lose the last commits on power loss)
 * @param node this node's name in health-probe keys ({@code node}, default the host name)
 */
public record MultiCloudConfig(
    String primary,
    String secondary,
    String tertiary,
    Map<String, StoreSpec> stores,
    Routing routing,
    Replication replication,
    OutboxSync outboxSync,
    String node) {

  /** The names that refer to the server's own store sections rather than to an entry of {@code stores}. */
  public static final List<String> SECTION_STORES = List.of("local", "aws", "gcp", "azure");

  public MultiCloudConfig {
    Objects.requireNonNull(primary, "primary");
    secondary = secondary == null ? "" : secondary;
    tertiary = tertiary == null ? "" : tertiary;
    stores = Map.copyOf(new LinkedHashMap<>(stores));
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(replication, "replication");
    Objects.requireNonNull(outboxSync, "outboxSync");
    if (node == null || !node.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new InvalidRequestException("multi_cloud.node '" + node
          + "' must be 1-63 lower-case letters, digits or '-'");
    }
    if (primary.isBlank()) {
      throw new InvalidRequestException("multi_cloud.primary must name a store");
    }
    for (String name : stores.keySet()) {
      if (SECTION_STORES.contains(name)) {
        throw new InvalidRequestException("multi_cloud.stores." + name + " clashes with the built-in store '" + name
            + "'; choose another name");
      }
      if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
        throw new InvalidRequestException("multi_cloud.stores." + name
            + " is not a store name (lower-case letters, digits, '_' or '-', at most 63)");
      }
    }
    List<String> ranked = rankedOf(primary, secondary, tertiary, stores);
    for (String name : ranked) {
      known("multi_cloud", name, stores);
    }
    List<String> named = List.of(primary, secondary, tertiary).stream().filter(n -> !n.isEmpty()).toList();
    if (new LinkedHashSet<>(named).size() != named.size()) {
      throw new InvalidRequestException("multi_cloud.primary, secondary and tertiary must name different stores");
    }
    for (var e : replication.policies().entrySet()) {
      for (String target : e.getValue().targets()) {
        if (!ranked.contains(target)) {
          throw new InvalidRequestException("multi_cloud.replication." + e.getKey().configName() + ".targets names '"
              + target + "', which is not primary, secondary, tertiary or one of multi_cloud.stores");
        }
      }
    }
    for (String name : routing.weights().keySet()) {
      if (!ranked.contains(name)) {
        throw new InvalidRequestException("multi_cloud.routing.weights names unknown store '" + name + "'");
      }
    }
  }

  private static void known(String path, String name, Map<String, StoreSpec> stores) {
    if (!SECTION_STORES.contains(name) && !stores.containsKey(name)) {
      throw new InvalidRequestException(path + " names store '" + name + "', which is neither one of "
          + String.join(", ", SECTION_STORES) + " nor declared in multi_cloud.stores");
    }
  }

  private static List<String> rankedOf(String primary, String secondary, String tertiary, Map<String, StoreSpec> stores) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    out.add(primary);
    if (!secondary.isEmpty()) {
      out.add(secondary);
    }
    if (!tertiary.isEmpty()) {
      out.add(tertiary);
    }
    out.addAll(stores.keySet());
    return List.copyOf(out);
  }

  /** Every store this config composes, primary first, then secondary, tertiary and the declared stores. */
  public List<String> storeNames() {
    return rankedOf(primary, secondary, tertiary, stores);
  }

  /** The policy of {@code dataClass}; a class the file does not mention replicates sync to every store. */
  public ClassPolicy policy(DataClass dataClass) {
    return replication.policies().get(dataClass);
  }

  /**
   * The stores a write of {@code dataClass} goes to, in failover order (the order of {@link #storeNames()}): the
   * first healthy one takes the write, the others are replicas.
   */
  public List<String> writeOrder(DataClass dataClass) {
    ClassPolicy policy = policy(dataClass);
    return storeNames().stream().filter(policy.targets()::contains).toList();
  }

  /** How a store of {@code multi_cloud.stores} is opened. */
  public enum Backend { LOCAL, S3, GCS, AZURE }

  /**
   * One entry of {@code multi_cloud.stores}.
   *
   * @param backend the kind of store ({@code backend}: local, s3, gcs or azure)
   * @param root for {@code local}: the directory ({@code root}); for the cloud kinds it is absent and the store
   *     reads its cloud's top-level section ({@code aws}, {@code gcp}, {@code azure})
   */
  public record StoreSpec(Backend backend, Optional<Path> root) {
    public StoreSpec {
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(root, "root");
      if (backend == Backend.LOCAL && root.isEmpty()) {
        throw new InvalidRequestException("a local store of multi_cloud.stores needs a root directory");
      }
    }

    /** The {@link io.grey.core.store.BlobStores} kind of this store. */
    public String kind() {
      return backend.name().toLowerCase(Locale.ROOT);
    }
  }

  /** How reads choose among replicas. */
  public enum Strategy { LATENCY_BASED, ROUND_ROBIN, WEIGHTED }

  /**
   * The {@code routing:} subsection.
   *
   * @param strategy how a read picks its first replica ({@code strategy}, default latency_based)
   * @param fallback the order used when the strategy has nothing to go on, such as no latency sample yet
   *     ({@code fallback}, default round_robin)
   * @param healthCheckInterval how often every store is probed ({@code health_check_interval}, default 30s)
   * @param weights the share of reads each store gets under {@code weighted} ({@code weights}; absent stores 1)
   * @param readTimeout how long a read waits for one replica before it tries the next ({@code read_timeout})
   * @param writeTimeout how long a put waits for one sync replica before it leaves it to the outbox
   *     ({@code write_timeout})
   * @param downAfter consecutive failed probes that mark a store down ({@code down_after}, default 3)
   * @param upAfter consecutive good probes that mark a down store up again ({@code up_after}, default 2)
   */
  public record Routing(Strategy strategy, Strategy fallback, Duration healthCheckInterval,
                        Map<String, Integer> weights, Duration readTimeout, Duration writeTimeout,
                        int downAfter, int upAfter) {
    public Routing {
      Objects.requireNonNull(strategy, "strategy");
      Objects.requireNonNull(fallback, "fallback");
      weights = Map.copyOf(weights);
      positive("multi_cloud.routing.health_check_interval", healthCheckInterval);
      positive("multi_cloud.routing.read_timeout", readTimeout);
      positive("multi_cloud.routing.write_timeout", writeTimeout);
      if (downAfter < 1 || upAfter < 1) {
        throw new InvalidRequestException("multi_cloud.routing.down_after and up_after must be at least 1");
      }
      for (var e : weights.entrySet()) {
        if (e.getValue() < 0) {
          throw new InvalidRequestException("multi_cloud.routing.weights." + e.getKey() + " must be >= 0");
        }
      }
    }

    /** The defaults of the seeds: latency-based with round-robin fallback, probes every 30 s. */
    public static Routing defaults() {
      return new Routing(Strategy.LATENCY_BASED, Strategy.ROUND_ROBIN, Duration.ofSeconds(30), Map.of(),
          Duration.ofSeconds(5), Duration.ofSeconds(30), 3, 2);
    }

    /** A copy probing every {@code interval}. */
    public Routing withHealthCheckInterval(Duration interval) {
      return new Routing(strategy, fallback, interval, weights, readTimeout, writeTimeout, downAfter, upAfter);
    }

    /** A copy with these timeouts. */
    public Routing withTimeouts(Duration read, Duration write) {
      return new Routing(strategy, fallback, healthCheckInterval, weights, read, write, downAfter, upAfter);
    }

    /** A copy choosing replicas by {@code newStrategy}. */
    public Routing withStrategy(Strategy newStrategy) {
      return new Routing(newStrategy, fallback, healthCheckInterval, weights, readTimeout, writeTimeout, downAfter,
          upAfter);
    }

    /** A copy with these hysteresis thresholds. */
    public Routing withHysteresis(int down, int up) {
      return new Routing(strategy, fallback, healthCheckInterval, weights, readTimeout, writeTimeout, down, up);
    }
  }

  /** How one data class is replicated. */
  public enum Mode { SYNC, ASYNC, PRIMARY_ONLY }

  /** What a sync put does when a replica cannot be written in time. */
  public enum OnSyncFailure { QUEUE, FAIL }

  /** How the outbox commits; see {@link MultiCloudConfig#outboxSync()}. */
  public enum OutboxSync { FULL, NORMAL }

  /**
   * The policy of one data class ({@code replication.proofs}, {@code .artifacts}, {@code .state}).
   *
   * @param strategy sync, async or primary_only ({@code strategy})
   * @param targets the stores holding the class ({@code targets}; default every store, or the primary alone for
   *     primary_only)
   * @param lagTolerance how old the oldest pending async entry of the class may get before the target is reported
   *     degraded ({@code lag_tolerance}, default 5m)
   * @param onSyncFailure for sync: {@code queue} (default) acknowledges once the write target has the bytes and
   *     the unreachable replica is queued durably; {@code fail} also queues it but fails the put, naming it
   */
  public record ClassPolicy(Mode strategy, List<String> targets, Duration lagTolerance, OnSyncFailure onSyncFailure) {
    public ClassPolicy {
      Objects.requireNonNull(strategy, "strategy");
      targets = List.copyOf(new LinkedHashSet<>(targets));
      positive("lag_tolerance", lagTolerance);
      Objects.requireNonNull(onSyncFailure, "onSyncFailure");
      if (targets.isEmpty()) {
        throw new InvalidRequestException("replication targets must name at least one store");
      }
      if (strategy == Mode.PRIMARY_ONLY && targets.size() != 1) {
        throw new InvalidRequestException("a primary_only class has exactly one target, the primary");
      }
    }
  }

  /**
   * The {@code replication:} subsection.
   *
   * @param policies the policy of each data class
   * @param maxAttempts failed attempts after which an async entry becomes a dead letter ({@code max_attempts})
   * @param concurrency how many replication writes run at once per target ({@code concurrency})
   * @param retry the backoff between attempts of one entry ({@code base_delay}, {@code max_delay})
   */
  public record Replication(Map<DataClass, ClassPolicy> policies, int maxAttempts, int concurrency, RetryPolicy retry) {
    public Replication {
      policies = Map.copyOf(policies);
      for (DataClass c : DataClass.values()) {
        if (!policies.containsKey(c)) {
          throw new InvalidRequestException("replication policy for " + c.configName() + " is missing");
        }
      }
      if (maxAttempts < 1 || maxAttempts > 1000) {
        throw new InvalidRequestException("multi_cloud.replication.max_attempts must be 1-1000, got " + maxAttempts);
      }
      if (concurrency < 1 || concurrency > 256) {
        throw new InvalidRequestException("multi_cloud.replication.concurrency must be 1-256, got " + concurrency);
      }
      Objects.requireNonNull(retry, "retry");
    }
  }

  /**
   * A config over {@code stores} (primary first) where every data class uses {@code mode} over all of them
   * (primary_only: the primary alone); for tests and embedding.
   */
  public static MultiCloudConfig of(List<String> stores, Mode mode, Map<String, StoreSpec> declared) {
    Map<DataClass, ClassPolicy> policies = new EnumMap<>(DataClass.class);
    for (DataClass c : DataClass.values()) {
      policies.put(c, new ClassPolicy(mode, mode == Mode.PRIMARY_ONLY ? List.of(stores.getFirst()) : stores,
          Duration.ofMinutes(5), OnSyncFailure.QUEUE));
    }
    return new MultiCloudConfig(stores.getFirst(), stores.size() > 1 ? stores.get(1) : "",
        stores.size() > 2 ? stores.get(2) : "", declared, Routing.defaults(),
        new Replication(policies, 10, 4, new RetryPolicy(10, Duration.ofMillis(200), Duration.ofMinutes(5))),
        OutboxSync.FULL, "node");
  }

  /** A copy with {@code newPolicy} for {@code dataClass}. */
  public MultiCloudConfig withPolicy(DataClass dataClass, ClassPolicy newPolicy) {
    Map<DataClass, ClassPolicy> p = new EnumMap<>(replication.policies());
    p.put(dataClass, newPolicy);
    return new MultiCloudConfig(primary, secondary, tertiary, stores, routing,
        new Replication(p, replication.maxAttempts(), replication.concurrency(), replication.retry()), outboxSync,
        node);
  }

  /** A copy with {@code newRouting}. */
  public MultiCloudConfig withRouting(Routing newRouting) {
    return new MultiCloudConfig(primary, secondary, tertiary, stores, newRouting, replication, outboxSync, node);
  }

  /** A copy with these replicator limits. */
  public MultiCloudConfig withReplicator(int maxAttempts, int concurrency, RetryPolicy retry) {
    return new MultiCloudConfig(primary, secondary, tertiary, stores, routing,
        new Replication(replication.policies(), maxAttempts, concurrency, retry), outboxSync, node);
  }

  /** A copy naming this node {@code newNode}. */
  public MultiCloudConfig withNode(String newNode) {
    return new MultiCloudConfig(primary, secondary, tertiary, stores, routing, replication, outboxSync, newNode);
  }

  /** A copy committing the outbox with {@code sync}. */
  public MultiCloudConfig withOutboxSync(OutboxSync sync) {
    return new MultiCloudConfig(primary, secondary, tertiary, stores, routing, replication, sync, node);
  }

  /** The {@code multi_cloud} section of {@code config}, if the file has one. */
  public static Optional<MultiCloudConfig> from(GreyConfig config) {
    return config.providerSection("multi_cloud").map(s -> read(s, defaultNode()));
  }

  static String defaultNode() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    String clean = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+", "");
    clean = clean.isEmpty() ? "node" : clean;
    return clean.length() > 63 ? clean.substring(0, 63) : clean;
  }

  /** Reads the section {@code s}; every error names file, line and key. */
  public static MultiCloudConfig read(ConfigSection s, String defaultNode) {
    String primary = s.requiredString("primary");
    String secondary = s.string("secondary", "");
    String tertiary = s.string("tertiary", "");
    Map<String, StoreSpec> stores = s.section("stores", MultiCloudConfig::readStores, Map.of());
    Routing routing = s.section("routing", MultiCloudConfig::readRouting, Routing.defaults());
    String node = s.string("node", defaultNode);
    OutboxSync outboxSync = enumValue(s, "outbox_sync", OutboxSync.FULL, OutboxSync.class);
    List<String> all = new ArrayList<>(rankedOf(primary, secondary, tertiary, stores));
    Replication replication = s.section("replication", r -> readReplication(r, all, primary),
        readReplication(ConfigSection.empty(s.keyPath("replication")), all, primary));
    return s.build(() -> new MultiCloudConfig(primary, secondary, tertiary, stores, routing, replication, outboxSync,
        node));
  }

  private static Map<String, StoreSpec> readStores(ConfigSection s) {
    Map<String, StoreSpec> out = new LinkedHashMap<>();
    for (String name : s.keys()) {
      out.put(name, s.section(name, st -> {
        Backend backend = enumValue(st, "backend", null, Backend.class);
        Path root = st.path("root", null);
        if (backend == null) {
          throw st.error("backend", "missing key 'backend' (local, s3, gcs or azure)");
        }
        if (backend != Backend.LOCAL && root != null) {
          throw st.error("root", "only a local store has a root; a " + backend.name().toLowerCase(Locale.ROOT)
              + " store reads its cloud's section");
        }
        return st.build(() -> new StoreSpec(backend, Optional.ofNullable(root)));
      }, null));
    }
    return out;
  }

  private static Routing readRouting(ConfigSection s) {
    Routing d = Routing.defaults();
    Strategy strategy = enumValue(s, "strategy", d.strategy(), Strategy.class);
    Strategy fallback = enumValue(s, "fallback", d.fallback(), Strategy.class);
    Duration interval = s.duration("health_check_interval", d.healthCheckInterval());
    Map<String, Integer> weights = s.section("weights", w -> {
      Map<String, Integer> m = new LinkedHashMap<>();
      for (String k : w.keys()) {
        m.put(k, w.integer(k, 1));
      }
      return m;
    }, Map.of());
    Duration read = s.duration("read_timeout", d.readTimeout());
    Duration write = s.duration("write_timeout", d.writeTimeout());
    int down = s.integer("down_after", d.downAfter());
    int up = s.integer("up_after", d.upAfter());
    return s.build(() -> new Routing(strategy, fallback, interval, weights, read, write, down, up));
  }

  private static Replication readReplication(ConfigSection s, List<String> all, String primary) {
    Map<DataClass, ClassPolicy> policies = new EnumMap<>(DataClass.class);
    for (DataClass c : DataClass.values()) {
      Mode fallbackMode = c == DataClass.STATE ? Mode.PRIMARY_ONLY : c == DataClass.PROOF ? Mode.SYNC : Mode.ASYNC;
      ClassPolicy fallback = new ClassPolicy(fallbackMode, fallbackMode == Mode.PRIMARY_ONLY ? List.of(primary) : all,
          Duration.ofMinutes(5), OnSyncFailure.QUEUE);
      policies.put(c, s.section(c.configName(), p -> {
        Mode mode = enumValue(p, "strategy", Mode.SYNC, Mode.class);
        List<String> targets = p.strings("targets", mode == Mode.PRIMARY_ONLY ? List.of(primary) : all);
        Duration lag = p.duration("lag_tolerance", Duration.ofMinutes(5));
        OnSyncFailure onFailure = enumValue(p, "on_sync_failure", OnSyncFailure.QUEUE, OnSyncFailure.class);
        if (mode == Mode.PRIMARY_ONLY && !targets.equals(List.of(primary))) {
          throw p.error("targets", "a primary_only class is held by the primary ('" + primary + "') alone");
        }
        return p.build(() -> new ClassPolicy(mode, targets, lag, onFailure));
      }, fallback));
    }
    int maxAttempts = s.integer("max_attempts", 10);
    int concurrency = s.integer("concurrency", 4);
    Duration base = s.duration("base_delay", Duration.ofSeconds(1));
    Duration max = s.duration("max_delay", Duration.ofMinutes(5));
    return s.build(() -> new Replication(policies, maxAttempts, concurrency, new RetryPolicy(0, base, max)));
  }

  private static <E extends Enum<E>> E enumValue(ConfigSection s, String key, E fallback, Class<E> type) {
    String text = s.string(key, fallback == null ? "" : fallback.name().toLowerCase(Locale.ROOT));
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E v : type.getEnumConstants()) {
        names.add(v.name().toLowerCase(Locale.ROOT));
      }
      throw s.error(key, "'" + text + "' must be one of " + String.join(", ", names));
    }
  }

  private static void positive(String path, Duration d) {
    Objects.requireNonNull(d, path);
    if (d.isNegative() || d.isZero()) {
      throw new InvalidRequestException(path + " must be positive, got " + d);
    }
  }
}
