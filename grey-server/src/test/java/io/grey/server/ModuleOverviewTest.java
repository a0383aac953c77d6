package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview a node with grey-multicloud and grey-cost serves: its stores with their health, a replication row
 * per target from the outbox, and the caller's month-to-date cost and budget use, agreeing with the cost report.
 */
class ModuleOverviewTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private GreyServer node;

  @BeforeEach
  void start() {
    node = GreyServer.start(TestNodes.config(dataDir, TestNodes.TWO_LOCAL_STORES_PRICED.formatted(dataDir) + """
          budgets:
            - name: acme-monthly
              amount: 0.01
              alerts: [50, 100]
              tenant: acme
        """));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private JsonNode overview() throws Exception {
    return JSON.readTree(get(node, "/api/v1/overview", TOKEN_A).body());
  }

  private static List<String> texts(JsonNode rows, String field) {
    List<String> out = new ArrayList<>();
    rows.forEach(row -> out.add(row.path(field).asText()));
    return out;
  }

  @Test
  void theOverviewShowsEachStoreTheReplicationTargetsAndTheTenantsCostAsTheReportHasIt() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(put(node, "/v1/artifacts/acme/t1/a-" + i, TOKEN_A, "body " + i).statusCode()).isEqualTo(200);
    }

    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode stores = overview().path("stores");
      assertThat(texts(stores, "name")).as("both stores of multi_cloud").containsExactly("local", "edge-a");
      assertThat(texts(stores, "status")).as("both probed healthy").containsOnly("up");
    });
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode replication = overview().path("replication");
      assertThat(texts(replication, "target")).as("a row per store of the outbox").contains("edge-a");
      for (JsonNode row : replication) {
        assertThat(row.path("queue_depth").asLong()).as("drained: %s", row).isZero();
      }
    });

    JsonNode report = JSON.readTree(get(node, "/api/v1/cost/report", TOKEN_A).body());
    JsonNode tenants = overview().path("tenants");
    assertThat(texts(tenants, "tenant")).as("only the caller's own tenant").containsExactly("acme");
    double monthToDate = tenants.get(0).path("month_to_date_usd").asDouble();
    assertThat(monthToDate).as("4 writes at 5 per 1000, at least").isGreaterThanOrEqualTo(0.02);
    assertThat(monthToDate).as("the report's month-to-date total")
        .isCloseTo(report.path("total").decimalValue().doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(tenants.get(0).path("budget_used_ratio").asDouble()).as("spent over the 0.01 budget")
        .isCloseTo(monthToDate / 0.01, org.assertj.core.data.Offset.offset(1e-6));
  }
}
