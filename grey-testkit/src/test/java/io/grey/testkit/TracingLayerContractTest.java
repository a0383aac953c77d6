package io.grey.testkit;

import io.grey.core.ObjectKey;
import io.grey.core.layer.TracingLayer;
import io.grey.core.store.BlobStore;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tracing layer, recording real SDK spans, over the memory store changes no behaviour of the contract. */
class TracingLayerContractTest extends BlobStoreContract {
  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private MemoryBlobStore memory;

  @Override
  protected BlobStore openStore(Path scratch) {
    memory = MemoryBlobStore.create("memory");
    return new TracingLayer(OTEL.getOpenTelemetry().getTracer("grey-contract")).wrap(memory);
  }

  @Override
  protected boolean corruptStoredBody(BlobStore store, ObjectKey key) {
    return memory.corruptStoredBody(key);
  }
}
