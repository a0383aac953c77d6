package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.MonitoringConfig;
import io.grey.core.config.OpenTelemetryConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With monitoring.opentelemetry.endpoint set, the node exports its spans over OTLP/HTTP: a server span per
 * request with the store spans of the tracing layer as children, sampled at the configured rate. The collector
 * is a small OTLP/HTTP receiver on loopback that decodes what it receives with the OTLP protobuf classes.
 */
class TraceExportTest {
  @TempDir Path dataDir;

  private HttpServer collector;
  private final ConcurrentLinkedQueue<Span> received = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> services = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        if (!exchange.getRequestMethod().equals("POST")) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
        for (ResourceSpans resource : request.getResourceSpansList()) {
          resource.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
              .forEach(kv -> services.add(kv.getValue().getStringValue()));
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            received.addAll(scope.getSpansList());
          }
        }
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    });
    collector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.stop(0);
  }

  private GreyServer node(double sampleRate) {
    GreyConfig base = TestNodes.config(dataDir);
    String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
    return GreyServer.start(new GreyConfig(base.server(), base.auth(), base.storage(), base.lifecycle(),
        base.retry(), new MonitoringConfig(base.monitoring().prometheus(), new OpenTelemetryConfig(endpoint, sampleRate)),
        base.audit(), base.environment()));
  }

  private Span span(String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> find(name).isPresent());
    return find(name).orElseThrow();
  }

  private Optional<Span> find(String name) {
    return received.stream().filter(s -> s.getName().equals(name)).findFirst();
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
        .map(v -> v.hasIntValue() ? String.valueOf(v.getIntValue()) : v.getStringValue()).findFirst().orElse("");
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Test
  void aRequestExportsAServerSpanWithTheStoreSpansAsItsChildren() {
    try (GreyServer node = node(1.0)) {
      assertThat(TestNodes.put(node, "/v1/artifacts/acme/task-1/model.bin", TOKEN_A, "weights").statusCode())
          .as("put").isEqualTo(200);
    }

    Span server = span("grey.http.put_artifact");
    Span put = span("grey.storage.put");
    assertThat(server.getKind()).as("kind of the request's span").isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getParentSpanId().isEmpty()).as("the request's span is a root").isTrue();
    assertThat(attribute(server, "http.request.method")).as("method").isEqualTo("PUT");
    assertThat(attribute(server, "http.route")).as("route").isEqualTo("/v1/artifacts/<path>");
    assertThat(attribute(server, "http.response.status_code")).as("status").isEqualTo("200");
    assertThat(hex(put.getTraceId())).as("the store span's trace").isEqualTo(hex(server.getTraceId()));
    assertThat(hex(put.getParentSpanId())).as("the store span's parent").isEqualTo(hex(server.getSpanId()));
    assertThat(put.getKind()).as("kind of the store span").isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(attribute(put, "grey.key")).as("key of the store span").isEqualTo("artifacts/acme/task-1/model.bin");
    assertThat(services).as("service.name of the exporting resource").contains("grey");
  }

  @Test
  void aCallersTraceparentMakesTheServerSpanItsChild() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    try (GreyServer node = node(1.0)) {
      HttpRequest request = TestNodes.request(node, "/v1/artifacts/acme/task-1/", TOKEN_A)
          .header("traceparent", "00-" + traceId + "-" + parentId + "-01").GET().build();
      assertThat(TestNodes.send(request).statusCode()).as("list").isEqualTo(200);
    }

    Span server = span("grey.http.get_artifact");
    assertThat(hex(server.getTraceId())).as("trace of the request's span").isEqualTo(traceId);
    assertThat(hex(server.getParentSpanId())).as("parent of the request's span").isEqualTo(parentId);
    assertThat(hex(span("grey.storage.list").getParentSpanId())).as("parent of the list's store span")
        .isEqualTo(hex(server.getSpanId()));
  }

  @Test
  void aRequestThatMatchesNoRouteIsTracedToo() {
    try (GreyServer node = node(1.0)) {
      assertThat(TestNodes.get(node, "/no/such/route", null).statusCode()).as("unknown route").isEqualTo(404);
    }

    Span server = span("grey.http.unmatched");
    assertThat(attribute(server, "http.response.status_code")).as("status").isEqualTo("404");
    assertThat(attribute(server, "url.path")).as("path").isEqualTo("/no/such/route");
  }

  @Test
  void aSampleRateOfZeroExportsNoSpansOfRequestsStartedHere() {
    try (GreyServer node = node(0.0)) {
      for (int i = 0; i < 20; i++) {
        assertThat(TestNodes.put(node, "/v1/artifacts/acme/task-1/m" + i, TOKEN_A, "x").statusCode())
            .as("put %d", i).isEqualTo(200);
      }
    }
    // close() has exported everything that was queued, so nothing can still be on its way.
    assertThat(received).as("spans exported at sample rate 0").isEmpty();
  }

  @Test
  void theEndpointGetsTheTracesPathOnceAndOnlyHttpUrlsAreAccepted() {
    assertThat(Telemetry.tracesUrl("http://collector:4318")).isEqualTo("http://collector:4318/v1/traces");
    assertThat(Telemetry.tracesUrl("http://collector:4318/")).isEqualTo("http://collector:4318/v1/traces");
    assertThat(Telemetry.tracesUrl("https://c.example/v1/traces")).isEqualTo("https://c.example/v1/traces");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Telemetry.tracesUrl("grpc://collector:4317"))
        .as("a non-HTTP endpoint").isInstanceOf(io.grey.core.ConfigException.class)
        .hasMessageContaining("monitoring.opentelemetry.endpoint");
  }
}
