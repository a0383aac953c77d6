package io.grey.server;

import io.grey.core.audit.AuditLog;
import io.grey.core.layer.AuditLayer;
import io.grey.core.layer.MetricsLayer;
import io.grey.core.layer.RetryLayer;
import io.grey.core.layer.RetryPolicy;
import io.grey.core.layer.Sleeper;
import io.grey.core.layer.TracingLayer;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Layer;
import io.grey.multicloud.MultiCloudStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The store a node serves from: the backend {@code storage.backend} chose (opened through
 * {@link io.grey.core.store.BlobStores}; the local store by default) wrapped, innermost first, in metrics (so
 * every attempt to the backend is measured), retry, cost metering when {@code cost.enabled} (grey-cost; one count per
 * logical call, since it sits above retry), encryption when {@code storage.encryption} is enabled (so
 * every layer below it, and the backend, sees only ciphertext, and retries resend ciphertext already sealed),
 * tracing (one span per logical call) and, when enabled, audit (one entry per logical call, naming the caller's
 * {@link io.grey.core.context.CallContext} actor). When the {@code multi_cloud} section names more than one store,
 * each store gets metrics, retry and metering of its own ({@link #perStore}) and a {@link MultiCloudStore} over
 * them takes the backend's place under encryption, tracing and audit, so every replica holds ciphertext. The server
 * and its tests build it through this one factory, so the tests exercise exactly the stack that serves requests.
 */
final class StoreStack implements AutoCloseable {
  /** A slot's layer when its feature is off: it adds nothing. */
  static final Layer NONE = inner -> inner;

  /**
   * The layers a node's config switches on, each {@link #NONE} when off.
   *
   * @param metering grey-cost's metering layer, right above retry
   * @param encryption the client-side encryption layer, above metering (so metering counts the bytes stored)
   */
  record OptionalLayers(Layer metering, Layer encryption) {
    OptionalLayers {
      Objects.requireNonNull(metering, "metering");
      Objects.requireNonNull(encryption, "encryption");
    }
  }

  private final BlobStore store;
  private final AuditLog audit;
  private final MultiCloudStore multiCloud;

  private StoreStack(BlobStore store, AuditLog audit, MultiCloudStore multiCloud) {
    this.store = store;
    this.audit = audit;
    this.multiCloud = multiCloud;
  }

  /** The stack over {@code backend} without an audit log; closing the stack closes the backend. */
  static StoreStack open(
      BlobStore backend, RetryPolicy retry, MeterRegistry registry, Tracer tracer, OptionalLayers optional) {
    return build(backend, retry, registry, tracer, optional, null);
  }

  /**
   * The stack over {@code backend} with every mutating call appended to the audit log at {@code auditFile}; closing
   * the stack closes the backend, also when the audit log cannot be opened.
   */
  static StoreStack openAudited(BlobStore backend, RetryPolicy retry, MeterRegistry registry, Tracer tracer,
      OptionalLayers optional, Path auditFile, Clock clock) {
    AuditLog log;
    try {
      log = AuditLog.open(auditFile, clock);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    return build(backend, retry, registry, tracer, optional, log);
  }

  /** One named store's own layers, innermost first: metrics, retry, then {@code metering}. */
  static BlobStore perStore(BlobStore store, RetryPolicy retry, MeterRegistry registry, Layer metering) {
    return Layer.stack(store, new MetricsLayer(registry, store.name()),
        new RetryLayer(retry, Sleeper.system(), new SecureRandom()), metering);
  }

  private static StoreStack build(BlobStore backend, RetryPolicy retry, MeterRegistry registry, Tracer tracer,
      OptionalLayers optional, AuditLog audit) {
    Objects.requireNonNull(retry, "retry");
    TracingLayer tracing = new TracingLayer(tracer);
    BlobStore stacked;
    try {
      // A multi-cloud store already has metrics, retry and metering on each of its stores (see perStore).
      BlobStore inner = backend instanceof MultiCloudStore
          ? backend : perStore(backend, retry, registry, optional.metering());
      stacked = audit == null
          ? Layer.stack(inner, optional.encryption(), tracing)
          : Layer.stack(inner, optional.encryption(), tracing, new AuditLayer(audit));
    } catch (RuntimeException e) {
      // The encryption layer refuses a backend without user metadata; the backend is ours to close then.
      backend.close();
      if (audit != null) {
        audit.close();
      }
      throw e;
    }
    return new StoreStack(stacked, audit, backend instanceof MultiCloudStore m ? m : null);
  }

  /** The multi-cloud store under the outer layers, when the node serves from more than one store. */
  java.util.Optional<MultiCloudStore> multiCloud() {
    return java.util.Optional.ofNullable(multiCloud);
  }

  /** The names of the stores the node serves from: the multi-cloud store's, or the one backend's. */
  java.util.List<String> storeNames() {
    return multiCloud == null ? java.util.List.of(store.name()) : multiCloud.storeNames();
  }

  /** The outermost store; every call goes through all layers. */
  BlobStore store() {
    return store;
  }

  /** Closes the store and then the audit log it appends to. */
  @Override
  public void close() {
    try {
      store.close();
    } finally {
      if (audit != null) {
        audit.close();
      }
    }
  }
}
