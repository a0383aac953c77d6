package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.TOKEN_B;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.layer.MetricsLayer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/overview: who may read it, its shape, and that its store figures are the node's meters. */
class OverviewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir Path dataDir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static OverviewSource.Parts someParts() {
    return new OverviewSource.Parts(
        () -> List.of(new OverviewSource.ReplicationRow("gcp-west", 3, 12.5)),
        () -> List.of(new OverviewSource.TenantRow("acme", 41.25, OptionalDouble.of(0.825)),
            new OverviewSource.TenantRow("globex", 7.5, OptionalDouble.empty())));
  }

  @Test
  void withoutAValidTokenTheOverviewIsRefused() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      HttpResponse<String> none = get(node, "/api/v1/overview", null);
      HttpResponse<String> wrong = get(node, "/api/v1/overview", "not-a-token");

      assertThat(none.statusCode()).as("no token").isEqualTo(401);
      assertThat(json(none).path("code").asText()).as("error code").isEqualTo("unauthenticated");
      assertThat(wrong.statusCode()).as("unknown token").isEqualTo(401);
    }
  }

  @Test
  void aNodeWithOneStoreAndNoTrafficShowsItWithoutFiguresAndNothingElse() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir), Clock.fixed(NOW, ZoneOffset.UTC))) {
      JsonNode overview = json(get(node, "/api/v1/overview", TOKEN_A));

      assertThat(overview.path("stores")).as("stores").hasSize(1);
      JsonNode store = overview.path("stores").get(0);
      assertThat(store.path("name").asText()).as("the node's store").isNotBlank();
      assertThat(store.path("status").asText()).as("status with nothing probing the store").isEqualTo("unknown");
      assertThat(store.path("latency_p50_ms").isNull()).as("p50 before any call").isTrue();
      assertThat(store.path("latency_p99_ms").isNull()).as("p99 before any call").isTrue();
      assertThat(store.path("error_rate").isNull()).as("error rate before any call").isTrue();
      assertThat(overview.path("replication").isArray() && overview.path("replication").isEmpty())
          .as("no replication on a one-store node").isTrue();
      assertThat(overview.path("tenants").isArray() && overview.path("tenants").isEmpty())
          .as("no cost rows without metering").isTrue();
      assertThat(overview.path("generated_at").asText()).as("time of the answer").isEqualTo(NOW.toString());
    }
  }

  @Test
  void afterTrafficTheStoreShowsLatencyAndAnErrorRateThatLeavesOutNotFound() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      for (int i = 0; i < 5; i++) {
        assertThat(put(node, "/v1/artifacts/acme/t/a" + i, TOKEN_A, "body").statusCode()).isEqualTo(200);
      }
      assertThat(get(node, "/v1/artifacts/acme/t/missing", TOKEN_A).statusCode()).as("absent").isEqualTo(404);

      JsonNode store = json(get(node, "/api/v1/overview", TOKEN_A)).path("stores").get(0);

      assertThat(store.path("latency_p50_ms").asDouble()).as("p50 after calls").isPositive();
      assertThat(store.path("latency_p99_ms").asDouble()).as("p99 is at least p50")
          .isGreaterThanOrEqualTo(store.path("latency_p50_ms").asDouble());
      assertThat(store.path("error_rate").isNumber()).as("an error rate once calls were made").isTrue();
      assertThat(store.path("error_rate").asDouble()).as("a not_found answer is not a failure").isZero();
    }
  }

  @Test
  void storesAndReplicationAreSharedButEachTokenSeesOnlyItsTenantsCost() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir), Clock.systemUTC(), someParts())) {
      JsonNode acme = json(get(node, "/api/v1/overview", TOKEN_A));
      JsonNode globex = json(get(node, "/api/v1/overview", TOKEN_B));

      assertThat(acme.path("replication").get(0).path("target").asText()).as("target").isEqualTo("gcp-west");
      assertThat(acme.path("replication").get(0).path("queue_depth").asLong()).as("depth").isEqualTo(3);
      assertThat(acme.path("replication").get(0).path("lag_seconds").asDouble()).as("lag").isEqualTo(12.5);
      assertThat(globex.path("replication")).as("the same replication rows for every token")
          .isEqualTo(acme.path("replication"));
      assertThat(globex.path("stores")).as("the same stores for every token").isEqualTo(acme.path("stores"));
      assertThat(acme.path("tenants")).as("acme's cost rows").hasSize(1);
      assertThat(acme.path("tenants").get(0).path("tenant").asText()).isEqualTo("acme");
      assertThat(acme.path("tenants").get(0).path("month_to_date_usd").asDouble()).isEqualTo(41.25);
      assertThat(acme.path("tenants").get(0).path("budget_used_ratio").asDouble()).isEqualTo(0.825);
      assertThat(globex.path("tenants")).as("globex's cost rows").hasSize(1);
      assertThat(globex.path("tenants").get(0).path("budget_used_ratio").isNull())
          .as("a tenant without a budget").isTrue();
    }
  }

  @Test
  void theDashboardPageNeedsNoTokenAndMayLoadOnlyFromItsOwnOrigin() {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      HttpResponse<String> page = get(node, "/", null);
      HttpResponse<String> script = get(node, "/dashboard.js", null);

      assertThat(page.statusCode()).as("the dashboard page").isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).as("its type").hasValueSatisfying(
          type -> assertThat(type).startsWith("text/html"));
      assertThat(page.headers().firstValue("Content-Security-Policy")).as("its policy").hasValueSatisfying(
          policy -> assertThat(policy).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"));
      assertThat(page.body()).as("the page names its script and the overview tables")
          .contains("src=\"/dashboard.js\"", "id=\"stores\"", "id=\"replication\"", "id=\"tenants\"")
          .doesNotContain("http://", "https://");
      assertThat(script.statusCode()).as("the script").isEqualTo(200);
      assertThat(script.body()).as("the script polls the overview").contains("/api/v1/overview");
    }
  }

  @Test
  void percentilesAreInterpolatedWithinTheHistogramBucketsAsPrometheusDoes() {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    buckets.put(10.0, 0.0);
    buckets.put(20.0, 50.0);
    buckets.put(40.0, 100.0);

    assertThat(MeterOverview.quantile(0.5, buckets, 100).getAsDouble()).as("p50 at the top of (10, 20]")
        .isEqualTo(20.0);
    assertThat(MeterOverview.quantile(0.25, buckets, 100).getAsDouble()).as("p25 half way into (10, 20]")
        .isEqualTo(15.0);
    assertThat(MeterOverview.quantile(0.99, buckets, 100).getAsDouble()).as("p99 in (20, 40]")
        .isCloseTo(39.6, within(1e-9));
    assertThat(MeterOverview.quantile(0.99, buckets, 200).getAsDouble())
        .as("a rank beyond every finite bucket answers the highest bound").isEqualTo(40.0);
    assertThat(MeterOverview.quantile(0.5, buckets, 0)).as("no observations").isEmpty();
  }

  @Test
  void storeLatencyComesFromTheCallDurationHistogramAcrossOperations() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer puts = Timer.builder(MetricsLayer.DURATION).tags("cloud", "s3", "operation", "put", "tenant", "acme")
        .publishPercentileHistogram().register(registry);
    Timer heads = Timer.builder(MetricsLayer.DURATION).tags("cloud", "s3", "operation", "head", "tenant", "acme")
        .publishPercentileHistogram().register(registry);
    for (int i = 0; i < 98; i++) {
      heads.record(Duration.ofMillis(2));
    }
    puts.record(Duration.ofSeconds(2));
    puts.record(Duration.ofSeconds(2));

    OverviewSource.StoreRow row =
        new MeterOverview(registry, List.of("s3"), OverviewSource.Parts.none()).stores().get(0);

    assertThat(row.latencyP50Ms().getAsDouble()).as("p50 among the fast heads").isBetween(1.0, 3.0);
    assertThat(row.latencyP99Ms().getAsDouble()).as("p99 among the slow puts").isBetween(1000.0, 2500.0);
    assertThat(row.errorRate().getAsDouble()).as("no failed calls").isZero();
  }
}
