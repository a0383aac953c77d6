package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every grey_* metric the alert rules and the Grafana dashboard use is exported by a running node, once traffic
 * has gone through it: a node with cost metering, a budget, and two stores replicated by grey-multicloud.
 */
class ExportedMetricsTest {
  @TempDir Path dataDir;
  private GreyServer node;

  @BeforeEach
  void start() {
    // With one budget configured, every cost metric has a series (the alert counters from 0).
    node = GreyServer.start(TestNodes.config(dataDir, TestNodes.TWO_LOCAL_STORES_PRICED.formatted(dataDir) + """
          budgets:
            - name: monthly
              amount: 100
              alerts: [50, 80]
        """));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private Set<String> usedNames() {
    List<String> expressions = new ArrayList<>();
    Deploy.alertRules().forEach(rule -> expressions.add(rule.expr()));
    expressions.addAll(Deploy.dashboardExpressions());
    return Deploy.metricNames(expressions);
  }

  private Set<String> exportedNamesAfterTraffic() {
    String path = "/v1/artifacts/acme/task-1/";
    assertThat(put(node, path + "model.bin", TOKEN_A, "weights").statusCode()).as("put").isEqualTo(200);
    assertThat(get(node, path + "model.bin", TOKEN_A).body()).as("get").isEqualTo("weights");
    assertThat(get(node, path + "absent.bin", TOKEN_A).statusCode()).as("get of an absent artifact").isEqualTo(404);
    assertThat(get(node, path, TOKEN_A).statusCode()).as("list").isEqualTo(200);
    assertThat(get(node, "/api/v1/cost/report", TOKEN_A).statusCode()).as("cost report").isEqualTo(200);
    HttpResponse<String> scrape = get(node, "/metrics", null);
    assertThat(scrape.statusCode()).as("scrape").isEqualTo(200);
    return scrape.body().lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyMetricTheRulesAndDashboardUseIsExported() {
    Set<String> used = usedNames();
    Set<String> exported = exportedNamesAfterTraffic();

    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(exported);
    assertThat(missing).as("names used by deploy/ but not exported by the node (exported: %s)", exported).isEmpty();
    assertThat(used).as("the node's own cloud metrics are among those used")
        .contains("grey_cloud_api_duration_seconds_bucket", "grey_cloud_api_duration_seconds_count",
            "grey_cloud_api_errors_total", "grey_cloud_bytes_written_total", "grey_cloud_bytes_read_total",
            "grey_cloud_storage_bytes", "grey_replication_lag_seconds", "grey_store_up", "grey_budget_used_ratio",
            "grey_cloud_cost_usd");
  }
}
