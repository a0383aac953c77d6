package io.grey.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.Tenant;
import io.javalin.http.Context;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The operator's web dashboard: static files served from the class path (no build step, nothing fetched from
 * elsewhere, enforced by a same-origin Content-Security-Policy) and the JSON of {@value #OVERVIEW_PATH} they poll.
 */
final class Dashboard {
  /** The route of the overview JSON. */
  static final String OVERVIEW_PATH = "/api/v1/overview";
  /** Route to class-path resource of each static file. */
  static final Map<String, String> FILES = Map.of(
      "/", "index.html",
      "/dashboard.js", "dashboard.js",
      "/dashboard.css", "dashboard.css");

  private static final String RESOURCES = "/io/grey/server/dashboard/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8");
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
          + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Dashboard() {}

  /** Answers with the static file of {@code route}. */
  static void serve(Context ctx, String route) {
    String file = FILES.get(route);
    InputStream body = Dashboard.class.getResourceAsStream(RESOURCES + file);
    if (body == null) {
      throw new IllegalStateException("dashboard file " + file + " is missing from the class path");
    }
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.status(200).contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1))).result(body);
  }

  /**
   * The overview as the API answers it to a caller of {@code viewer}: every store and replication row, the cost
   * rows of {@code viewer} only. Absent figures are JSON nulls.
   */
  static ObjectNode overviewJson(OverviewSource source, Tenant viewer, Instant now) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode stores = body.putArray("stores");
    for (OverviewSource.StoreRow row : source.stores()) {
      ObjectNode store = stores.addObject().put("name", row.name()).put("status", row.status());
      number(store, "latency_p50_ms", row.latencyP50Ms());
      number(store, "latency_p99_ms", row.latencyP99Ms());
      number(store, "error_rate", row.errorRate());
    }
    ArrayNode replication = body.putArray("replication");
    for (OverviewSource.ReplicationRow row : source.replication()) {
      replication.addObject().put("target", row.target()).put("queue_depth", row.queueDepth())
          .put("lag_seconds", row.lagSeconds());
    }
    ArrayNode tenants = body.putArray("tenants");
    for (OverviewSource.TenantRow row : source.tenants()) {
      if (row.tenant().equals(viewer.value())) {
        ObjectNode tenant = tenants.addObject().put("tenant", row.tenant())
            .put("month_to_date_usd", row.monthToDateUsd());
        number(tenant, "budget_used_ratio", row.budgetUsedRatio());
      }
    }
    body.put("generated_at", now.toString());
    return body;
  }

  private static void number(ObjectNode node, String field, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(field, value.getAsDouble());
    } else {
      node.putNull(field);
    }
  }
}
