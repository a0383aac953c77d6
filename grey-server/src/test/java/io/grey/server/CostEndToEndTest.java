package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.config.GreyConfig;
import io.grey.testkit.DeterministicBody;
import io.grey.testkit.MutableClock;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a known workload through a real node and checks the cost report against a computation by hand from the
 * catalog rows. Workload, on tenant acme, task build-7, all at 2026-11-02T00:00Z unless said:
 *
 * <ul>
 *   <li>10 PUTs of 1 MiB: 10 write requests;
 *   <li>24 hours later: 20 GETs of whole objects (each GET is a store get plus a get_tags for the tag headers:
 *       40 read requests, 20 MiB egress), 3 listings (3 list requests), 2 DELETEs (2 delete requests);
 *   <li>48 more hours pass.
 * </ul>
 *
 * Stored: 10 MiB for 24 h + 8 MiB for 48 h = 624 MiB-hours = 624 / 1024 / 730 GB-months.
 */
class CostEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MathContext MATH = MathContext.DECIMAL128;
  private static final long MIB = 1L << 20;

  @TempDir
  Path dir;

  private GreyConfig config(String costSection) {
    return TestNodes.config(dir, "cost:\n" + costSection.indent(2));
  }

  private static void runWorkload(GreyServer node, MutableClock clock) {
    String base = "/v1/artifacts/acme/build-7/";
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> put = TestNodes.send(TestNodes.request(node, base + "obj-" + i, TestNodes.TOKEN_A)
          .PUT(HttpRequest.BodyPublishers.ofByteArray(DeterministicBody.of(i, MIB).bytes())).build());
      assertThat(put.statusCode()).as("put %d: %s", i, put.body()).isEqualTo(200);
    }
    clock.advance(Duration.ofHours(24));
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> get = TestNodes.get(node, base + "obj-" + (i % 10), TestNodes.TOKEN_A);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body().length()).as("read to the end").isPositive();
    }
    for (int i = 0; i < 3; i++) {
      assertThat(TestNodes.get(node, base, TestNodes.TOKEN_A).statusCode()).isEqualTo(200);
    }
    for (int i = 8; i < 10; i++) {
      assertThat(TestNodes.send(TestNodes.request(node, base + "obj-" + i, TestNodes.TOKEN_A).DELETE().build())
          .statusCode()).isEqualTo(200);
    }
    clock.advance(Duration.ofHours(48));
  }

  private static JsonNode report(GreyServer node, String query, String token) throws Exception {
    HttpResponse<String> response = TestNodes.get(node, "/api/v1/cost/report?" + query, token);
    assertThat(response.statusCode()).as("report: %s", response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  private static BigDecimal gbMonths() {
    return d("624").divide(d("1024").multiply(d("730")), MATH);
  }

  @Test
  void theReportOfAKnownWorkloadMatchesTheHandComputationFromTheS3StandardRow() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-02T00:00:00Z"));
    GreyConfig config = config("stores:\n  - {store: local, cloud: aws, region: us-east-1, storage_class: STANDARD}\n");
    // The S3 Standard row of the built-in catalog: 0.023 per GB-month, per 1,000 requests 0.005 write and list,
    // 0.0004 read, 0 delete; 0.09 per GB of egress.
    BigDecimal storage = gbMonths().multiply(d("0.023"), MATH);
    BigDecimal requests = d("10").multiply(d("0.005")).add(d("40").multiply(d("0.0004")))
        .add(d("3").multiply(d("0.005"))).divide(d("1000"), MATH);       // 0.000081
    BigDecimal egress = d("20").divide(d("1024"), MATH).multiply(d("0.09"), MATH); // 0.0017578125
    BigDecimal total = storage.add(requests).add(egress);

    try (GreyServer node = GreyServer.start(config, clock)) {
      runWorkload(node, clock);
      JsonNode report = report(node, "tenant=acme&from=2026-11-01&to=2026-11-30&by=service", TestNodes.TOKEN_A);

      assertThat(report.path("by_service").path("storage").decimalValue())
          .as("storage: 624 MiB-hours at 0.023 per GB-month").isEqualByComparingTo(exact(storage));
      assertThat(report.path("by_service").path("requests").decimalValue())
          .as("10 writes, 40 reads, 3 lists, 2 deletes").isEqualByComparingTo(exact(requests));
      assertThat(report.path("by_service").path("egress").decimalValue())
          .as("20 MiB out at 0.09 per GB").isEqualByComparingTo(exact(egress));
      assertThat(report.path("total").decimalValue()).isEqualByComparingTo(exact(total));
      assertThat(report.path("total_rounded").asText()).as("to the cent").isEqualTo("0.00");

      String metrics = TestNodes.get(node, "/metrics", null).body();
      assertThat(metrics).as("month-to-date cost on /metrics")
          .contains("grey_cloud_cost_usd{cloud=\"aws\",service=\"egress\",tenant=\"acme\"} 0.0017578125");
    }
  }

  @Test
  void withOperatorPricesTheSameWorkloadCostsTheHandComputedAmountToTheCentAndSurvivesARestart()
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-02T00:00:00Z"));
    // An operator row for the local disk, with prices large enough that the workload costs dollars.
    GreyConfig config = config("""
        prices:
          - cloud: local
            storage_class: STANDARD
            storage_gb_month: 100
            write_per_1000: 20
            read_per_1000: 5
            list_per_1000: 10
            delete_per_1000: 1
            egress_gb: 50
            source: test prices
            date: 2026-11-01
        """);
    // storage 624/1024/730 * 100 = 0.0834760...; requests (10*20 + 40*5 + 3*10 + 2*1) / 1000 = 0.432;
    // egress 20/1024 * 50 = 0.9765625; total 1.4920385... -> 1.49
    BigDecimal storage = gbMonths().multiply(d("100"), MATH);
    BigDecimal requests = d("0.432");
    BigDecimal egress = d("0.9765625");
    BigDecimal total = storage.add(requests).add(egress);
    assertThat(total.setScale(2, RoundingMode.HALF_EVEN)).as("the hand computation").isEqualByComparingTo("1.49");

    try (GreyServer node = GreyServer.start(config, clock)) {
      runWorkload(node, clock);
      JsonNode report = report(node, "tenant=acme&from=2026-11-01&to=2026-11-30&by=day", TestNodes.TOKEN_A);
      assertThat(report.path("total_rounded").asText()).as("to the cent").isEqualTo("1.49");
      assertThat(report.path("total").decimalValue()).isEqualByComparingTo(exact(total));
      assertThat(report.path("groups")).as("the three days 2, 3 and 4 November").hasSize(3);
    }
    try (GreyServer node = GreyServer.start(config, clock)) {
      JsonNode report = report(node, "from=2026-11-01&to=2026-11-30&by=task", TestNodes.TOKEN_A);
      assertThat(report.path("total").decimalValue()).as("the same total after a restart")
          .isEqualByComparingTo(exact(total));
      assertThat(report.path("groups").get(0).path("key").asText()).isEqualTo("acme/build-7");
    }
  }

  @Test
  void aTenantCannotReadAnotherTenantsCosts() {
    try (GreyServer node = GreyServer.start(config("enabled: true\n"), new MutableClock(Instant.parse("2026-11-02T00:00:00Z")))) {
      HttpResponse<String> response = TestNodes.get(node, "/api/v1/cost/report?tenant=acme", TestNodes.TOKEN_B);
      assertThat(response.statusCode()).as("globex's token asking for acme: %s", response.body()).isEqualTo(403);
      assertThat(TestNodes.get(node, "/api/v1/cost/report", null).statusCode()).as("no token").isEqualTo(401);
      assertThat(TestNodes.get(node, "/api/v1/cost/report?by=week", TestNodes.TOKEN_B).statusCode())
          .as("unknown breakdown").isEqualTo(400);
    }
  }

  private static BigDecimal exact(BigDecimal amount) {
    return amount.setScale(10, RoundingMode.HALF_EVEN);
  }
}
