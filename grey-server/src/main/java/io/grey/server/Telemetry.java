package io.grey.server;

import io.grey.core.ConfigException;
import io.grey.core.config.OpenTelemetryConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's tracing: with {@code monitoring.opentelemetry.endpoint} empty, a no-op tracer (spans cost next to
 * nothing and go nowhere); otherwise an OpenTelemetry SDK that keeps {@code sample_rate} of the traces started
 * here (parent-based, so a caller's sampling decision carried in {@code traceparent} wins) and exports them in
 * batches over OTLP/HTTP (protobuf) to {@code <endpoint>/v1/traces}. {@link #close} exports what is still queued.
 * Thread-safe.
 */
final class Telemetry implements AutoCloseable {
  /** The instrumentation scope of every span the server starts. */
  static final String SCOPE = "io.grey.server";
  /** The OTLP/HTTP path of trace exports. */
  static final String TRACES_PATH = "/v1/traces";

  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
  }

  /**
   * Tracing as {@code config} asks for; nothing is sent until a sampled span ends.
   *
   * @throws ConfigException if the endpoint is not an http(s) URL
   */
  static Telemetry open(OpenTelemetryConfig config) {
    if (config.endpoint().isBlank()) {
      return new Telemetry(OpenTelemetry.noop(), null);
    }
    String endpoint = tracesUrl(config.endpoint());
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(endpoint)
        .setTimeout(Duration.ofSeconds(10))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, "grey"))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRate())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    LOG.info("exporting {} of traces over OTLP/HTTP to {}", config.sampleRate(), endpoint);
    return new Telemetry(sdk, sdk);
  }

  /**
   * The URL spans are posted to: the endpoint itself when it already ends in {@value #TRACES_PATH}, else the
   * endpoint with that path appended (the way OTLP's own {@code OTEL_EXPORTER_OTLP_ENDPOINT} is read).
   */
  static String tracesUrl(String endpoint) {
    String base = endpoint.replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("monitoring.opentelemetry.endpoint '" + endpoint + "' is not a URL", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigException("monitoring.opentelemetry.endpoint '" + endpoint
          + "' must be an http:// or https:// URL of an OTLP/HTTP collector (port 4318 by default)");
    }
    return base.endsWith(TRACES_PATH) ? base : base + TRACES_PATH;
  }

  /** Whether spans leave this process. */
  boolean exporting() {
    return sdk != null;
  }

  /** The tracer of the server's spans. */
  Tracer tracer() {
    return openTelemetry.getTracer(SCOPE);
  }

  /** The propagators that read a caller's trace context from request headers. */
  ContextPropagators propagators() {
    return openTelemetry.getPropagators();
  }

  /** Exports the spans still queued (waiting up to 10 s for the collector), then stops exporting. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
