package io.grey.core.layer;

import io.grey.core.GreyException;
import io.grey.core.ObjectKey;
import io.grey.core.Tenant;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Wraps every call to the wrapped store in an OpenTelemetry span named {@code grey.storage.<operation>}
 * (put, get, head, list, delete, get_tags, set_tags, presign) of kind CLIENT. The span is the current span
 * while the call runs, so spans the store starts (an SDK's HTTP spans) become its children.
 *
 * <p>Attributes: {@value #STORE_NAME} (the store's name), {@value #KEY_NAME}, {@value #TENANT_NAME} (when the
 * key or list prefix names one), {@value #BYTES_NAME} (bytes written by a put, or the bytes a get will yield),
 * {@value #ACTOR_NAME} (from {@link CallContext}), {@value #PREFIX_NAME} and {@value #COUNT_NAME} for a list.
 * A failed call records the exception, sets status ERROR and, for a Grey error, {@value #ERROR_NAME} to its
 * code. A get's span ends once the stream is open; reading the stream is not part of it. Thread-safe.
 */
public final class TracingLayer implements Layer {
  /** Attribute name of the store's name. */
  public static final String STORE_NAME = "grey.store";
  /** Attribute name of the object key. */
  public static final String KEY_NAME = "grey.key";
  /** Attribute name of the tenant. */
  public static final String TENANT_NAME = "grey.tenant";
  /** Attribute name of the body size. */
  public static final String BYTES_NAME = "grey.bytes";
  /** Attribute name of the actor. */
  public static final String ACTOR_NAME = "grey.actor";
  /** Attribute name of a list prefix. */
  public static final String PREFIX_NAME = "grey.prefix";
  /** Attribute name of the number of objects a list returned. */
  public static final String COUNT_NAME = "grey.count";
  /** Attribute name of a Grey error code. */
  public static final String ERROR_NAME = "grey.error";

  private static final AttributeKey<String> STORE = AttributeKey.stringKey(STORE_NAME);
  private static final AttributeKey<String> KEY = AttributeKey.stringKey(KEY_NAME);
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey(TENANT_NAME);
  private static final AttributeKey<Long> BYTES = AttributeKey.longKey(BYTES_NAME);
  private static final AttributeKey<String> ACTOR = AttributeKey.stringKey(ACTOR_NAME);
  private static final AttributeKey<String> PREFIX = AttributeKey.stringKey(PREFIX_NAME);
  private static final AttributeKey<Long> COUNT = AttributeKey.longKey(COUNT_NAME);
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey(ERROR_NAME);

  private final Tracer tracer;

  /** A layer starting its spans with {@code tracer}. */
  public TracingLayer(Tracer tracer) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
  }

  /** Returns {@code inner} with a span around every call; behaviour and results are unchanged. */
  @Override
  public BlobStore wrap(BlobStore inner) {
    return new TracedStore(Objects.requireNonNull(inner, "inner"));
  }

  private final class TracedStore extends ForwardingBlobStore {
    TracedStore(BlobStore inner) {
      super(inner);
    }

    private Span start(String operation) {
      return tracer.spanBuilder("grey.storage." + operation)
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(STORE, inner.name())
          .setAttribute(ACTOR, CallContext.actor())
          .startSpan();
    }

    private Span start(String operation, ObjectKey key) {
      Span span = start(operation);
      span.setAttribute(KEY, key.value());
      key.tenant().ifPresent(t -> span.setAttribute(TENANT, t.value()));
      return span;
    }

    private <T> T traced(Span span, Function<Span, T> call) {
      try (Scope scope = span.makeCurrent()) {
        return call.apply(span);
      } catch (RuntimeException | Error e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        if (e instanceof GreyException grey) {
          span.setAttribute(ERROR, grey.code());
        }
        throw e;
      } finally {
        span.end();
      }
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      Span span = start("put", key);
      if (options.lengthKnown()) {
        span.setAttribute(BYTES, options.contentLength());
      }
      return traced(span, s -> {
        ObjectInfo info = inner.put(key, body, options);
        s.setAttribute(BYTES, info.size());
        return info;
      });
    }

    @Override
    public ObjectContent get(ObjectKey key, ReadRange range) {
      return traced(start("get", key), s -> {
        ObjectContent content = inner.get(key, range);
        s.setAttribute(BYTES, content.range().lengthWithin(content.info().size()));
        return content;
      });
    }

    @Override
    public Optional<ObjectInfo> head(ObjectKey key) {
      return traced(start("head", key), s -> {
        Optional<ObjectInfo> info = inner.head(key);
        info.ifPresent(i -> s.setAttribute(BYTES, i.size()));
        return info;
      });
    }

    @Override
    public ListPage list(ListRequest request) {
      Span span = start("list");
      span.setAttribute(PREFIX, request.prefix());
      TenantTag.ofPrefix(request.prefix()).map(Tenant::value).ifPresent(t -> span.setAttribute(TENANT, t));
      return traced(span, s -> {
        ListPage page = inner.list(request);
        s.setAttribute(COUNT, (long) page.objects().size());
        return page;
      });
    }

    @Override
    public boolean delete(ObjectKey key) {
      return traced(start("delete", key), s -> inner.delete(key));
    }

    @Override
    public Map<String, String> getTags(ObjectKey key) {
      return traced(start("get_tags", key), s -> inner.getTags(key));
    }

    @Override
    public void setTags(ObjectKey key, Map<String, String> tags) {
      traced(start("set_tags", key), s -> {
        inner.setTags(key, tags);
        return null;
      });
    }

    @Override
    public URI presign(ObjectKey key, PresignRequest request) {
      return traced(start("presign", key), s -> inner.presign(key, request));
    }
  }
}
