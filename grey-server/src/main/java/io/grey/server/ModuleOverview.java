package io.grey.server;

import io.grey.cost.BudgetStatus;
import io.grey.cost.CostService;
import io.grey.multicloud.MultiCloudStore;
import io.grey.multicloud.Replicator;
import io.grey.server.OverviewSource.ReplicationRow;
import io.grey.server.OverviewSource.TenantRow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The overview parts a node's own modules provide: replication rows from its multi-cloud store's outbox, tenant
 * rows from its cost service. A module the node does not run gives no rows.
 */
final class ModuleOverview {
  private ModuleOverview() {}

  /** The parts of a node running {@code multiCloud} and {@code cost} (each possibly absent). */
  static OverviewSource.Parts parts(Optional<MultiCloudStore> multiCloud, Optional<CostService> cost) {
    return new OverviewSource.Parts(
        () -> multiCloud.map(ModuleOverview::replication).orElse(List.of()),
        () -> cost.map(ModuleOverview::tenants).orElse(List.of()));
  }

  static List<ReplicationRow> replication(MultiCloudStore store) {
    List<ReplicationRow> rows = new ArrayList<>();
    for (Replicator.TargetStatus s : store.replicator().status()) {
      rows.add(new ReplicationRow(s.target(), s.pending(), s.lag().toMillis() / 1000.0));
    }
    return rows;
  }

  /**
   * One row per tenant with cost this month. A tenant's budget use is that of the budget its spending counts
   * against: its own budget when one names it, else the budget of every tenant; the highest when several apply.
   */
  static List<TenantRow> tenants(CostService cost) {
    CostService.MonthToDate month = cost.monthToDate();
    List<BudgetStatus> budgets = month.budgets();
    List<TenantRow> rows = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> e : month.byTenant().entrySet()) {
      String tenant = e.getKey();
      OptionalDouble own = budgets.stream().filter(b -> b.budget().tenant().equals(tenant))
          .mapToDouble(BudgetStatus::usedRatio).max();
      OptionalDouble ratio = own.isPresent() ? own : budgets.stream().filter(b -> b.budget().tenant().isEmpty())
          .mapToDouble(BudgetStatus::usedRatio).max();
      rows.add(new TenantRow(tenant, e.getValue().doubleValue(), ratio));
    }
    return rows;
  }
}
