package io.grey.server;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * What {@code GET /api/v1/overview} and the dashboard show: the stores a node serves from, the replication
 * queues towards each target, and each tenant's month-to-date cost and budget use. Each part comes from the module
 * that knows it; a part that no module provides is empty, never made up. Implementations are thread-safe and
 * cheap enough to be called on every dashboard refresh.
 */
interface OverviewSource {
  /** The stores, in a stable order. */
  List<StoreRow> stores();

  /** One row per replication target, in a stable order. */
  List<ReplicationRow> replication();

  /** One row per tenant with cost data, every tenant; the API shows a caller only its own. */
  List<TenantRow> tenants();

  /**
   * One store.
   *
   * @param name the store's name
   * @param status {@code up} or {@code down} from its health probes, {@code unknown} when nothing probes it
   * @param latencyP50Ms median call duration in milliseconds, empty before the first call
   * @param latencyP99Ms 99th percentile call duration in milliseconds, empty before the first call
   * @param errorRate failed calls over all calls (0-1), empty before the first call
   */
  record StoreRow(String name, String status, OptionalDouble latencyP50Ms, OptionalDouble latencyP99Ms,
      OptionalDouble errorRate) {
    public StoreRow {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(latencyP50Ms, "latencyP50Ms");
      Objects.requireNonNull(latencyP99Ms, "latencyP99Ms");
      Objects.requireNonNull(errorRate, "errorRate");
    }
  }

  /**
   * One replication target.
   *
   * @param target the target store's name
   * @param queueDepth writes and deletes waiting in the outbox for it
   * @param lagSeconds age of the oldest of them, 0 when none waits
   */
  record ReplicationRow(String target, long queueDepth, double lagSeconds) {
    public ReplicationRow {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * One tenant's spending.
   *
   * @param tenant the tenant
   * @param monthToDateUsd its cost so far this calendar month, in US dollars
   * @param budgetUsedRatio that cost over its monthly budget, empty when it has none
   */
  record TenantRow(String tenant, double monthToDateUsd, OptionalDouble budgetUsedRatio) {
    public TenantRow {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(budgetUsedRatio, "budgetUsedRatio");
    }
  }

  /**
   * The parts modules above a node's store provide: replication (grey-multicloud) and cost (grey-cost).
   *
   * @param replication the replication rows
   * @param tenants the cost rows
   */
  record Parts(Supplier<List<ReplicationRow>> replication, Supplier<List<TenantRow>> tenants) {
    public Parts {
      Objects.requireNonNull(replication, "replication");
      Objects.requireNonNull(tenants, "tenants");
    }

    /** No replication and no cost data: a node serving from one store without metering. */
    static Parts none() {
      return new Parts(List::of, List::of);
    }
  }
}
