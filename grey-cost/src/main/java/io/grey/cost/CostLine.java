package io.grey.cost;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The cost of one service for one hour of one tenant's task on one store, unrounded.
 *
 * @param cloud the catalog cloud the store is priced as
 * @param tenant the tenant
 * @param task the task ({@code -} for none)
 * @param store the named store
 * @param service storage, requests, egress, retrieval or replication
 * @param day the UTC day of the hour
 * @param amount the cost in the catalog's currency
 */
public record CostLine(String cloud, String tenant, String task, String store, String service, LocalDate day,
                       BigDecimal amount) {}
