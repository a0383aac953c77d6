package io.grey.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TracingLayerTest {
  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private static final ObjectKey KEY = ObjectKey.of("proofs/acme/task-9/p1");

  private final Tracer tracer = OTEL.getOpenTelemetry().getTracer("grey-test");
  private final InMemoryStore memory = new InMemoryStore("gcp-eu");

  private BlobStore traced(BlobStore inner) {
    return new TracingLayer(tracer).wrap(inner);
  }

  private SpanData onlySpan() {
    List<SpanData> spans = OTEL.getSpans();
    assertThat(spans).as("exported spans").hasSize(1);
    return spans.getFirst();
  }

  private static void put(BlobStore store, int size) {
    store.put(KEY, new ByteArrayInputStream(new byte[size]), PutOptions.defaults());
  }

  @Test
  void aPutIsOneClientSpanNamedAfterTheOperationWithStoreKeyTenantAndBytes() {
    put(traced(memory), 12);

    SpanData span = onlySpan();
    assertThat(span.getName()).as("span name").isEqualTo("grey.storage.put");
    assertThat(span.getKind()).as("span kind").isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("grey.store"))).as("store").isEqualTo("gcp-eu");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("grey.key"))).as("key").isEqualTo(KEY.value());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("grey.tenant"))).as("tenant").isEqualTo("acme");
    assertThat(span.getAttributes().get(AttributeKey.longKey("grey.bytes"))).as("bytes").isEqualTo(12L);
    assertThat(span.getStatus().getStatusCode()).as("status").isEqualTo(StatusCode.UNSET);
    assertThat(span.hasEnded()).as("ended").isTrue();
  }

  @Test
  void aFailedCallRecordsErrorStatusTheExceptionAndItsCode() {
    assertThatThrownBy(() -> traced(memory).getTags(KEY)).isInstanceOf(NotFoundException.class);

    SpanData span = onlySpan();
    assertThat(span.getName()).as("span name").isEqualTo("grey.storage.get_tags");
    assertThat(span.getStatus().getStatusCode()).as("status").isEqualTo(StatusCode.ERROR);
    assertThat(span.getEvents()).as("exception event").anySatisfy(event -> {
      assertThat(event.getName()).isEqualTo("exception");
      assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
          .isEqualTo(NotFoundException.class.getName());
    });
    assertThat(span.getAttributes().get(AttributeKey.stringKey("grey.error"))).as("error code").isEqualTo("not_found");
  }

  @Test
  void theSpanIsCurrentWhileTheStoreRuns() {
    AtomicReference<SpanContext> seenByStore = new AtomicReference<>();
    BlobStore observing = new ForwardingBlobStore(memory) {
      @Override
      public Optional<ObjectInfo> head(ObjectKey key) {
        seenByStore.set(Span.current().getSpanContext());
        return super.head(key);
      }
    };

    traced(observing).head(KEY);

    SpanData span = onlySpan();
    assertThat(seenByStore.get().isValid()).as("a span was current inside the store").isTrue();
    assertThat(seenByStore.get().getSpanId()).as("the current span is the layer's span").isEqualTo(span.getSpanId());
    assertThat(Span.current().getSpanContext().isValid()).as("no span current after the call").isFalse();
  }

  @Test
  void theSpanIsAChildOfTheCallersSpan() {
    Span parent = tracer.spanBuilder("request").startSpan();
    try (Scope scope = parent.makeCurrent()) {
      traced(memory).head(KEY);
    } finally {
      parent.end();
    }

    SpanData child = OTEL.getSpans().stream().filter(s -> s.getName().equals("grey.storage.head")).findFirst()
        .orElseThrow();
    assertThat(child.getParentSpanId()).as("parent of the storage span").isEqualTo(parent.getSpanContext().getSpanId());
  }

  @Test
  void theActorComesFromTheCallContext() {
    CallContext.runAs("alice", () -> traced(memory).delete(KEY));

    assertThat(onlySpan().getAttributes().get(AttributeKey.stringKey("grey.actor"))).as("actor").isEqualTo("alice");
  }

  @Test
  void aListSpanCarriesPrefixTenantAndCount() {
    put(memory, 1);
    OTEL.clearSpans();

    traced(memory).list(ListRequest.prefix("proofs/acme/"));

    SpanData span = onlySpan();
    assertThat(span.getName()).as("span name").isEqualTo("grey.storage.list");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("grey.prefix"))).as("prefix").isEqualTo("proofs/acme/");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("grey.tenant"))).as("tenant").isEqualTo("acme");
    assertThat(span.getAttributes().get(AttributeKey.longKey("grey.count"))).as("objects listed").isEqualTo(1L);
  }

  @Test
  void aGetSpanRecordsTheBytesTheStreamWillYield() {
    put(memory, 30);
    OTEL.clearSpans();

    traced(memory).get(KEY, io.grey.core.store.ReadRange.of(5, 10)).close();

    assertThat(onlySpan().getAttributes().get(AttributeKey.longKey("grey.bytes"))).as("range length").isEqualTo(10L);
  }
}
