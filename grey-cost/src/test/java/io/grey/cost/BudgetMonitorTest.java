package io.grey.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.testkit.MemoryBlobStore;
import io.grey.testkit.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetMonitorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T00:00:00Z"));
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private HttpServer webhook;

  @BeforeEach
  void startWebhook() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext("/alerts", exchange -> {
      received.add(JSON.readTree(exchange.getRequestBody()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    webhook.start();
  }

  @AfterEach
  void stopWebhook() {
    webhook.stop(0);
  }

  /** Budget of 0.01 USD for tenant acme; local disk priced at 1 USD per 1,000 writes. */
  private String costYaml() {
    return """
        webhook_url: http://127.0.0.1:%d/alerts
        prices:
          - {cloud: local, storage_class: STANDARD, write_per_1000: 1, source: test, date: 2026-11-01}
        budgets:
          - {name: acme-monthly, amount: 0.01, currency: USD, alerts: [50, 80, 100], tenant: acme}
        """.formatted(webhook.getAddress().getPort());
  }

  private static void writes(BlobStore store, int count) {
    for (int i = 0; i < count; i++) {
      store.put(ObjectKey.of("artifacts/acme/t/o" + i), new ByteArrayInputStream(new byte[0]),
          PutOptions.defaults());
    }
  }

  @Test
  void eachThresholdIsAnnouncedOncePerPeriodEvenAcrossRestarts() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (CostService cost = CostService.open(CostFixture.config(dir, costYaml()), clock)) {
      cost.bindMetrics(registry);
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      writes(store, 6); // 0.006 of 0.01: 60%
      cost.flush();
      cost.flush();
      assertThat(received).as("50% crossed: one POST").hasSize(1);
      assertThat(received.getFirst().path("threshold_percent").asInt()).isEqualTo(50);
      assertThat(received.getFirst().path("budget").asText()).isEqualTo("acme-monthly");
      writes(store, 5); // 0.011: 110%
      cost.flush();
    }
    assertThat(received.stream().map(n -> n.path("threshold_percent").asInt()))
        .as("80 and 100 announced after 50, each once").containsExactly(50, 80, 100);
    assertThat(registry.scrape()).contains("grey_budget_used_ratio{budget=\"acme-monthly\"} 1.1")
        .contains("grey_budget_alerts_total{budget=\"acme-monthly\",threshold=\"100\"} 1.0");

    try (CostService cost = CostService.open(CostFixture.config(dir, costYaml()), clock)) {
      cost.flush();
      assertThat(received).as("a restart announces nothing again").hasSize(3);
      assertThat(cost.budgetStatus().getFirst().crossed()).containsExactly(50, 80, 100);
      clock.advance(Duration.ofDays(30)); // December: a new period
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      writes(store, 6);
      cost.flush();
      assertThat(received).as("the new month's 50% is a new event").hasSize(4);
      assertThat(received.getLast().path("period").asText()).isEqualTo("2026-12");
    }
  }

  @Test
  void aBudgetWithoutTenantCoversEveryTenantAndAnotherTenantsSpendDoesNotCountForAcme() {
    String yaml = """
        prices:
          - {cloud: local, storage_class: STANDARD, write_per_1000: 1, source: test, date: 2026-11-01}
        budgets:
          - {name: all, amount: 0.01, alerts: [50]}
          - {name: acme, amount: 0.01, alerts: [50], tenant: acme}
        """;
    try (CostService cost = CostService.open(CostFixture.config(dir, yaml), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      for (int i = 0; i < 6; i++) {
        store.put(ObjectKey.of("artifacts/globex/t/o" + i), new ByteArrayInputStream(new byte[0]),
            PutOptions.defaults());
      }
      cost.flush();
      List<BudgetStatus> status = cost.budgetStatus();
      assertThat(status.get(0).crossed()).as("all tenants: 60%").containsExactly(50);
      assertThat(status.get(1).crossed()).as("acme spent nothing").isEmpty();
      assertThat(status.get(1).usedRatio()).isZero();
    }
  }
}
