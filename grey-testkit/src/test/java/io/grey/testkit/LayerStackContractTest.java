package io.grey.testkit;

import io.grey.core.ObjectKey;
import io.grey.core.audit.AuditLog;
import io.grey.core.layer.AuditLayer;
import io.grey.core.layer.MetricsLayer;
import io.grey.core.layer.RetryLayer;
import io.grey.core.layer.RetryPolicy;
import io.grey.core.layer.TracingLayer;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Layer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Metrics, tracing, audit and retry stacked over the memory store (metrics innermost) pass the contract. */
class LayerStackContractTest extends BlobStoreContract {
  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private MemoryBlobStore memory;
  private AuditLog log;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    log = AuditLog.open(scratch.resolve("audit.log"), Clock.systemUTC(), false);
    return Layer.stack(memory,
        new MetricsLayer(new SimpleMeterRegistry(), "memory"),
        new TracingLayer(OTEL.getOpenTelemetry().getTracer("grey-contract")),
        new AuditLayer(log),
        new RetryLayer(RetryPolicy.defaults(), delay -> { }, new SplittableRandom(1)));
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }

  @AfterEach
  void closeAuditLog() {
    log.close();
  }
}
