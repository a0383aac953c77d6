package io.grey.server;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Puts every HTTP request the node receives in a SERVER span, matched route or not, that stays current while the
 * request is handled, so the store spans of the {@link io.grey.core.layer.TracingLayer} become its children. A
 * {@code traceparent} header makes the span a child of the caller's. The span is named
 * {@value #DEFAULT_NAME} until {@link #name} gives it its route's name, and ends when the response is complete,
 * body included. Thread-safe.
 */
final class HttpTracing extends Handler.Wrapper {
  /** The span prefix of HTTP requests, in the dotted lower-case style of Grey's span names. */
  static final String PREFIX = "grey.http.";
  /** The name of a request that matched no route. */
  static final String DEFAULT_NAME = PREFIX + "unmatched";

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

  private static final TextMapGetter<HttpFields> HEADERS = new TextMapGetter<>() {
    @Override
    public String get(HttpFields carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  private final ContextPropagators propagators;

  HttpTracing(Tracer tracer, ContextPropagators propagators) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.propagators = Objects.requireNonNull(propagators, "propagators");
  }

  /**
   * Names the current request's span after its route ({@code grey.http.<operation>}) and records the route; a
   * no-op outside a traced request.
   */
  static void name(String operation, String route) {
    Span span = Span.current();
    span.updateName(PREFIX + operation);
    span.setAttribute(ROUTE, route);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Context parent = propagators.getTextMapPropagator().extract(Context.root(), request.getHeaders(), HEADERS);
    Span span = tracer.spanBuilder(DEFAULT_NAME)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, request.getMethod().toUpperCase(Locale.ROOT))
        .setAttribute(PATH, Request.getPathInContext(request))
        .startSpan();
    AtomicBoolean ended = new AtomicBoolean();
    Callback ending = new Callback() {
      @Override
      public void succeeded() {
        end(span, response.getStatus(), null, ended);
        callback.succeeded();
      }

      @Override
      public void failed(Throwable failure) {
        end(span, response.getStatus(), failure, ended);
        callback.failed(failure);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
    boolean handled;
    try (Scope scope = span.makeCurrent()) {
      handled = super.handle(request, response, ending);
    } catch (Exception | Error e) {
      end(span, 500, e, ended);
      throw e;
    }
    if (!handled) {
      end(span, 404, null, ended);
    }
    return handled;
  }

  private static void end(Span span, int status, Throwable failure, AtomicBoolean ended) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    span.setAttribute(STATUS, (long) status);
    if (failure != null) {
      span.recordException(failure);
    }
    // A 4xx is the client's doing and leaves the server span unset; only a 5xx or a broken exchange is an error.
    if (status >= 500 || failure != null) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
