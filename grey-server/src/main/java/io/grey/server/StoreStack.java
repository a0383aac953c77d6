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
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The store a node serves from: the local store wrapped, innermost first, in metrics (so every attempt to the
 * backend is measured), retry, tracing (one span per logical call) and, when enabled, audit (one entry per
 * logical call, naming the caller's {@link io.grey.core.context.CallContext} actor). The server and its tests
 * build it through this one factory, so the tests exercise exactly the stack that serves requests.
 */
final class StoreStack implements AutoCloseable {
  /** The cloud name the local store reports in metrics and logs. */
  static final String LOCAL_NAME = "local";

  private final BlobStore store;
  private final AuditLog audit;

  private StoreStack(BlobStore store, AuditLog audit) {
    this.store = store;
    this.audit = audit;
  }

  /** The stack without an audit log. */
  static StoreStack open(LocalStoreOptions local, RetryPolicy retry, MeterRegistry registry, Tracer tracer) {
    return build(local, retry, registry, tracer, null);
  }

  /** The stack with every mutating call appended to the audit log at {@code auditFile}. */
  static StoreStack openAudited(
      LocalStoreOptions local, RetryPolicy retry, MeterRegistry registry, Tracer tracer, Path auditFile,
      Clock clock) {
    AuditLog log = AuditLog.open(auditFile, clock);
    try {
      return build(local, retry, registry, tracer, log);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  private static StoreStack build(
      LocalStoreOptions local, RetryPolicy retry, MeterRegistry registry, Tracer tracer, AuditLog audit) {
    Objects.requireNonNull(retry, "retry");
    LocalStore backend = LocalStore.open(local);
    MetricsLayer metrics = new MetricsLayer(registry, backend.name());
    RetryLayer retrying = new RetryLayer(retry, Sleeper.system(), new SecureRandom());
    TracingLayer tracing = new TracingLayer(tracer);
    BlobStore stacked = audit == null
        ? Layer.stack(backend, metrics, retrying, tracing)
        : Layer.stack(backend, metrics, retrying, tracing, new AuditLayer(audit));
    return new StoreStack(stacked, audit);
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
