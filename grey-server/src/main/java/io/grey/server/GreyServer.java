package io.grey.server;

import io.grey.core.ConfigException;
import io.grey.core.GreyException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.Tenant;
import io.grey.core.artifact.ArtifactStore;
import io.grey.core.artifact.NodeKey;
import io.grey.core.config.EncryptionConfig;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.ServerConfig;
import io.grey.core.config.TokenConfig;
import io.grey.core.crypto.EncryptionLayer;
import io.grey.core.crypto.LocalKeyring;
import io.grey.core.layer.RetryPolicy;
import io.grey.core.lifecycle.LifecycleRule;
import io.grey.core.lifecycle.LifecycleSweeper;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.BlobStores;
import io.grey.core.store.Layer;
import io.grey.multicloud.MultiCloudConfig;
import io.grey.multicloud.MultiCloudStore;
import io.grey.core.store.StoreContext;
import io.grey.cost.CostConfig;
import io.grey.cost.CostService;
import io.grey.store.local.LocalPresigner;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Grey node: the HTTP API over the store {@code storage.backend} chooses (the local store by default; the
 * others found through {@link BlobStores}, so this module needs no cloud SDK) wrapped in metrics, retry,
 * encryption (when {@code storage.encryption} is enabled), tracing and audit, the artifact and proof API with the
 * node's signing key, the lifecycle sweeper, the web dashboard with its overview API, and a span per request
 * exported over OTLP when a collector is configured. {@link #start} returns once the node answers requests;
 * {@link #close} stops it and releases the store. Thread-safe.
 */
public final class GreyServer implements AutoCloseable {
  /** The file, under the data directory, that holds the presigned-URL secret. */
  public static final String PRESIGN_KEY_FILE = LocalPresigner.SECRET_FILE;

  private static final Logger LOG = LoggerFactory.getLogger(GreyServer.class);

  private final Javalin app;
  private final StoreStack stack;
  private final LifecycleSchedule lifecycle;
  private final Telemetry telemetry;
  private final CostService cost;
  private final URI baseUri;
  private final int port;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();

  private GreyServer(Javalin app, StoreStack stack, LifecycleSchedule lifecycle, Telemetry telemetry,
                     CostService cost, URI baseUri, int port) {
    this.app = app;
    this.stack = stack;
    this.lifecycle = lifecycle;
    this.telemetry = telemetry;
    this.cost = cost;
    this.baseUri = baseUri;
    this.port = port;
  }

  /**
   * Binds {@code config.server()}'s host and port (0 picks a free port), opens the store stack under the data
   * directory and returns once the node serves requests. With no tokens configured, the node's credentials file
   * ({@code <data_dir>/credentials}, 0600) is created on the first start and reused afterwards.
   *
   * @throws ConfigException if the configuration cannot be served (duplicate tokens, a bad public URL)
   * @throws StoreUnavailableException if the port cannot be bound, the data directory cannot be used or the
   *     backend cannot be reached
   * @throws io.grey.core.ProviderNotAvailableException if {@code storage.backend}'s module is not on the class path
   */
  public static GreyServer start(GreyConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(GreyConfig)}, with every time (presigned URL expiry, timestamps) from {@code clock}. */
  static GreyServer start(GreyConfig config, Clock clock) {
    return start(config, clock, Optional.empty());
  }

  /** As {@link #start(GreyConfig, Clock)}, the overview's replication and cost rows from {@code parts}. */
  static GreyServer start(GreyConfig config, Clock clock, OverviewSource.Parts parts) {
    return start(config, clock, Optional.of(parts));
  }

  /**
   * Starts a node; the overview's replication and cost rows come from {@code parts} when given, else from the
   * multi-cloud store and the cost service the node runs (empty for a part the node does not run).
   */
  private static GreyServer start(GreyConfig config, Clock clock, Optional<OverviewSource.Parts> parts) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(parts, "parts");
    ServerConfig server = config.server();
    Path dataDir = server.dataDir().toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create the data directory " + dataDir, e);
    }
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    HttpApi api = new HttpApi(registry, config.monitoring().prometheus().path(), dataDir.toString());
    Telemetry telemetry = Telemetry.open(config.monitoring().opentelemetry());
    Javalin app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.startup.showOldJavalinVersionWarning = false;
      javalin.concurrency.useVirtualThreads = true;
      // Bodies are streamed; compression would buffer them and hide a truncated transfer.
      javalin.http.compressionStrategy = CompressionStrategy.NONE;
      javalin.jetty.modifyServer(jetty -> {
        // Javalin nests its servlet context inside the innermost wrapper it finds, so this one sees every request.
        jetty.setHandler(new HttpTracing(telemetry.tracer(), telemetry.propagators()));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.addEventListener(new LargeReadBuffers(jetty));
      });
      api.register(javalin.routes);
    });
    List<AutoCloseable> opened = new ArrayList<>();
    opened.add(telemetry);
    try {
      try {
        app.start(server.host(), server.port());
      } catch (RuntimeException e) {
        app.stop();
        throw e instanceof GreyException grey ? grey
            : new StoreUnavailableException("cannot serve on " + server.host() + ":" + server.port(), e);
      }
      opened.add(app::stop);
      int port = app.port();
      URI baseUri = baseUri(server, port);
      LocalPresigner presigner = LocalPresigner.loadOrCreate(dataDir.resolve(PRESIGN_KEY_FILE), baseUri, clock);
      // Cost metering (grey-cost, <data_dir>/metering.db) sits above the retry layer; closed after the stack.
      CostService cost = CostConfig.of(config).enabled() ? CostService.open(config, clock) : null;
      if (cost != null) {
        opened.add(cost);
        cost.bindMetrics(registry);
      }
      StoreStack stack = openStack(config, baseUri, registry, telemetry.tracer(), clock,
          cost == null ? StoreStack.NONE : cost.meteringLayer());
      opened.add(stack);
      ArtifactStore artifacts =
          new ArtifactStore(stack.store(), NodeKey.loadOrCreate(dataDir), config.environment(), clock);
      TokenAuthenticator authenticator = new TokenAuthenticator(tokens(config, dataDir, baseUri));
      LifecycleSchedule lifecycle = lifecycle(config, stack, clock);
      OverviewSource overview = new MeterOverview(registry, stack.storeNames(),
          parts.orElseGet(() -> ModuleOverview.parts(stack.multiCloud(), Optional.ofNullable(cost))));
      api.serve(new Node(artifacts, stack.store(), presigner, authenticator, server.maxPresignTtl(), overview,
          clock));
      if (cost != null) {
        api.serveCost(cost);
        cost.start();
      }
      LOG.info("Grey serving {} from {}", baseUri, dataDir);
      return new GreyServer(app, stack, lifecycle, telemetry, cost, baseUri, port);
    } catch (RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  /**
   * Builds the store stack a node with {@code config} serves from, its backend presigning under {@code baseUri};
   * shared with the tests.
   */
  static StoreStack openStack(GreyConfig config, URI baseUri, PrometheusMeterRegistry registry, Clock clock) {
    return openStack(config, baseUri, registry, OpenTelemetry.noop().getTracer(Telemetry.SCOPE), clock,
        StoreStack.NONE);
  }

  /**
   * As {@link #openStack(GreyConfig, URI, PrometheusMeterRegistry, Clock)}, the store spans from {@code tracer} and
   * {@code metering} (grey-cost's layer, or {@link StoreStack#NONE}) above retry, on each store.
   */
  static StoreStack openStack(GreyConfig config, URI baseUri, PrometheusMeterRegistry registry, Tracer tracer,
                              Clock clock, Layer metering) {
    RetryPolicy retry =
        new RetryPolicy(config.retry().maxRetries(), config.retry().baseDelay(), config.retry().maxDelay());
    StoreContext context = new StoreContext(config, baseUri, clock, System.getenv());
    // With more than one store named in multi_cloud, each store gets its own metrics, retry and metering, and the
    // multi-cloud store goes over them; the outer layers below then wrap the multi-cloud store.
    Optional<MultiCloudConfig> multiCloud = MultiCloudConfig.from(config).filter(m -> m.storeNames().size() > 1);
    BlobStore backend = multiCloud.isPresent()
        ? MultiCloudStore.open(multiCloud.get(), context, registry,
            named -> StoreStack.perStore(named, retry, registry, metering))
        : BlobStores.open(config.storage().backend(), context);
    Layer encryption;
    try {
      encryption = encryption(config);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    StoreStack.OptionalLayers optional = new StoreStack.OptionalLayers(metering, encryption);
    return config.audit().enabled()
        ? StoreStack.openAudited(backend, retry, registry, tracer, optional, config.audit().file(), clock)
        : StoreStack.open(backend, retry, registry, tracer, optional);
  }

  /**
   * The encryption layer {@code storage.encryption} asks for: data keys wrapped by the local keyring (created with
   * one key on the first encrypting start), ciphertext spooled under {@code <data_dir>/tmp/encryption}.
   *
   * @throws ConfigException if the keyring is readable or writable by group or others, or malformed
   */
  private static Layer encryption(GreyConfig config) {
    EncryptionConfig encryption = config.storage().encryption();
    if (!encryption.enabled()) {
      return StoreStack.NONE;
    }
    boolean created = !Files.exists(encryption.keyring());
    LocalKeyring keyring = LocalKeyring.loadOrCreate(encryption.keyring(), new SecureRandom());
    if (created) {
      LOG.warn("storage.encryption: created keyring {} with key {}; back it up: objects encrypted under its keys"
          + " cannot be read without it", keyring.file(), keyring.currentKeyId());
    }
    LOG.info("storage.encryption: new objects are wrapped under key {} of keyring {}", keyring.currentKeyId(),
        keyring.file());
    Path spool = config.server().dataDir().toAbsolutePath().resolve("tmp").resolve("encryption");
    return new EncryptionLayer(keyring, spool, new SecureRandom());
  }

  private static URI baseUri(ServerConfig server, int port) {
    if (!server.publicUrl().isBlank()) {
      try {
        return URI.create(server.publicUrl().replaceAll("/+$", ""));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("server.public_url '" + server.publicUrl() + "' is not a URL", e);
      }
    }
    String host = server.host();
    // A wildcard bind address is not a place a client can connect to; the loopback address is.
    if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
  }

  private static Map<String, Tenant> tokens(GreyConfig config, Path dataDir, URI baseUri) {
    Map<String, Tenant> tokens = new LinkedHashMap<>();
    for (TokenConfig token : config.auth().tokens()) {
      Tenant tenant = new Tenant(token.tenant());
      Tenant earlier = tokens.putIfAbsent(token.token(), tenant);
      if (earlier != null && !earlier.equals(tenant)) {
        throw new ConfigException("auth.tokens: one token is given for two tenants ('" + earlier.value()
            + "' and '" + tenant.value() + "')");
      }
    }
    if (tokens.isEmpty()) {
      Credentials own = Credentials.loadOrCreate(
          dataDir.resolve(Credentials.FILE_NAME), baseUri, new SecureRandom());
      tokens.put(own.token(), own.tenant());
      LOG.info("no tokens configured: tenant '{}' uses the token in {}", own.tenant().value(),
          dataDir.resolve(Credentials.FILE_NAME));
    }
    return tokens;
  }

  private static LifecycleSchedule lifecycle(GreyConfig config, StoreStack stack, Clock clock) {
    List<LifecycleRule> rules = new ArrayList<>();
    for (LifecycleRuleConfig rule : config.lifecycle()) {
      // The local store has a single storage class, so transitions have nothing to do here; expiry does.
      if (rule.expirationDays() > 0) {
        rules.add(new LifecycleRule(rule.prefix(), Duration.ofDays(rule.expirationDays())));
      }
    }
    if (rules.isEmpty()) {
      return null;
    }
    return new LifecycleSchedule(
        new LifecycleSweeper(stack.store(), rules, clock), config.server().lifecycleSweepInterval());
  }

  /**
   * Gives every HTTP connection a read buffer as large as the body copy buffer once the connectors exist, so an
   * upload reaches the store in 64 KiB reads instead of Jetty's default 8 KiB.
   */
  private record LargeReadBuffers(Server jetty) implements LifeCycle.Listener {
    @Override
    public void lifeCycleStarting(LifeCycle event) {
      for (Connector connector : jetty.getConnectors()) {
        HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
        if (http != null) {
          http.setInputBufferSize(BodyCopy.CONNECTION_BUFFER_SIZE);
        }
      }
    }
  }

  /** The port the node is bound to (the ephemeral port when 0 was configured). */
  public int port() {
    return port;
  }

  /** The base URL of the API: {@code server.public_url}, or {@code http://host:port} when that is empty. */
  public URI baseUri() {
    return baseUri;
  }

  /** Blocks until {@link #close} has run (from another thread, or a shutdown hook). */
  public void awaitShutdown() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the sweeper, stops accepting requests, closes the store stack, flushes cost metering, then exports the
   * spans still queued; idempotent, and a second caller returns once the first has finished.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitShutdown();
      return;
    }
    try {
      if (lifecycle != null) {
        lifecycle.close();
      }
      app.stop();
    } finally {
      try {
        try {
          stack.close();
        } finally {
          if (cost != null) {
            cost.close();
          }
        }
      } finally {
        try {
          telemetry.close();
        } finally {
          closed.countDown();
        }
      }
    }
  }
}
