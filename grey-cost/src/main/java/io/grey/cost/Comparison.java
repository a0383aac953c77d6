package io.grey.cost;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What a tenant's measured usage would cost per month on each catalog row, cheapest first, and what moving old
 * data would save.
 *
 * @param tenant the tenant
 * @param from the first day of the measured window
 * @param to the last day of it
 * @param currency the catalog's currency
 * @param current the monthly cost where the data is now
 * @param options one per catalog row, cheapest first
 * @param recommendations savings from moving old objects, largest first
 */
public record Comparison(String tenant, LocalDate from, LocalDate to, String currency, BigDecimal current,
                         List<Option> options, List<Recommendation> recommendations) {

  /** The monthly cost of the usage on one cloud and storage class. */
  public record Option(String cloud, String region, String storageClass, BigDecimal monthly, String source,
                       String date) {}

  /**
   * Moving {@code bytes} of {@code dataClass} older than {@code olderThanDays} on {@code store} to
   * {@code toClass} saves {@code monthlySaving} of storage per month; reading them back costs
   * {@code retrievalPerGb} per GB.
   */
  public record Recommendation(String store, String dataClass, int olderThanDays, long objects, long bytes,
                               String fromClass, String toClass, BigDecimal monthlySaving,
                               BigDecimal retrievalPerGb, String text) {}

  /** As JSON: monthly amounts rounded half-even to cents. */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("tenant", tenant);
    root.put("from", from.toString());
    root.put("to", to.toString());
    root.put("currency", currency);
    root.put("current_monthly", CostReport.display(current));
    var opts = root.putArray("options");
    for (Option o : options) {
      opts.addObject().put("cloud", o.cloud()).put("region", o.region()).put("storage_class", o.storageClass())
          .put("monthly", CostReport.display(o.monthly())).put("monthly_exact", CostReport.exact(o.monthly()))
          .put("source", o.source()).put("date", o.date());
    }
    var recs = root.putArray("recommendations");
    for (Recommendation r : recommendations) {
      recs.addObject().put("store", r.store()).put("data_class", r.dataClass())
          .put("older_than_days", r.olderThanDays()).put("objects", r.objects()).put("bytes", r.bytes())
          .put("from_class", r.fromClass()).put("to_class", r.toClass())
          .put("monthly_saving", CostReport.display(r.monthlySaving()))
          .put("monthly_saving_exact", CostReport.exact(r.monthlySaving()))
          .put("retrieval_per_gb", r.retrievalPerGb()).put("text", r.text());
    }
    return root;
  }
}
