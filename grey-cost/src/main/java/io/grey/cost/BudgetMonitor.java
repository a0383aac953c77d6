package io.grey.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks budgets against measured cost. The first check that finds a budget's spending at or above a threshold
 * in a period records the crossing in metering.db and announces it once: a log line at WARN, the
 * {@code alert} callback (the {@code grey_budget_alerts_total} counter) and, when configured, a JSON POST to the
 * webhook. A crossing already recorded is never announced again in that period, also after a restart. A webhook
 * that fails is logged and not retried. Thread-safe.
 */
final class BudgetMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetMonitor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CostLedger ledger;
  private final List<BudgetConfig> budgets;
  private final String webhookUrl;
  private final Clock clock;
  private final HttpClient http;
  private final BiConsumer<BudgetConfig, Integer> alert;

  BudgetMonitor(CostLedger ledger, List<BudgetConfig> budgets, String webhookUrl, Clock clock,
                BiConsumer<BudgetConfig, Integer> alert) {
    this.ledger = ledger;
    this.budgets = List.copyOf(budgets);
    this.webhookUrl = webhookUrl;
    this.clock = clock;
    this.alert = alert;
    this.http = webhookUrl.isEmpty() ? null
        : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The status of every budget now, without announcing anything. */
  List<BudgetStatus> status() {
    List<BudgetStatus> out = new ArrayList<>();
    for (BudgetConfig b : budgets) {
      out.add(status(b));
    }
    return out;
  }

  private BudgetStatus status(BudgetConfig b) {
    YearMonth period = YearMonth.from(Instant.now(clock).atZone(ZoneOffset.UTC));
    BigDecimal spent = ledger.total(b.tenant(), period.atDay(1), period.atEndOfMonth());
    double ratio = spent.divide(b.amount(), Pricing.MATH).doubleValue();
    return new BudgetStatus(b, period.toString(), spent, ratio, ledger.db().alerts(b.name(), period.toString()));
  }

  /** Checks every budget and announces each threshold newly crossed; returns the statuses after the check. */
  synchronized List<BudgetStatus> check() {
    List<BudgetStatus> out = new ArrayList<>();
    for (BudgetConfig b : budgets) {
      BudgetStatus s = status(b);
      boolean announced = false;
      for (int threshold : b.alerts()) {
        if (s.usedRatio() * 100 + 1e-9 < threshold) {
          break;
        }
        if (ledger.db().recordAlert(b.name(), s.period(), threshold, clock.millis(), s.spent().toPlainString())) {
          announced = true;
          announce(b, s, threshold);
        }
      }
      out.add(announced ? status(b) : s);
    }
    return out;
  }

  private void announce(BudgetConfig b, BudgetStatus s, int threshold) {
    LOG.warn("budget {} crossed {}% in {}: spent {} of {} {}", b.name(), threshold, s.period(),
        CostReport.display(s.spent()), b.amount().toPlainString(), b.currency());
    alert.accept(b, threshold);
    if (http == null) {
      return;
    }
    ObjectNode body = JSON.createObjectNode()
        .put("budget", b.name())
        .put("tenant", b.tenant().isEmpty() ? "*" : b.tenant())
        .put("period", s.period())
        .put("threshold_percent", threshold)
        .put("spent", CostReport.exact(s.spent()))
        .put("amount", b.amount())
        .put("currency", b.currency())
        .put("used_ratio", s.usedRatio())
        .put("at", Instant.now(clock).toString());
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(webhookUrl))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        LOG.warn("budget webhook {} answered {} for budget {} at {}%", webhookUrl, response.statusCode(), b.name(),
            threshold);
      }
    } catch (java.io.IOException e) {
      LOG.warn("budget webhook {} failed for budget {} at {}%: {}", webhookUrl, b.name(), threshold, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
