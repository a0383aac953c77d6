package io.grey.cost;

/**
 * One hour of measured usage of one tenant, task, store and data class, as stored in the metering database.
 *
 * @param hour hours since the epoch (UTC) at the start of the hour
 * @param tenant the tenant, or {@code none} for keys outside Grey's layout
 * @param task the task, or {@code -} for keys without one (state)
 * @param store the named store
 * @param dataClass artifacts, proofs, state or none
 * @param byteSeconds bytes stored integrated over the hour, in byte-seconds (3600 per byte-hour)
 * @param writes write requests (put, set tags)
 * @param reads read requests (get, head, get tags)
 * @param lists list requests
 * @param deletes delete requests
 * @param egressBytes body bytes read out of the store through Grey
 * @param replicatedBytes bytes written by the replicator (actor {@code grey-replicator}) into this store
 */
public record UsageRow(long hour, String tenant, String task, String store, String dataClass, long byteSeconds,
                       long writes, long reads, long lists, long deletes, long egressBytes, long replicatedBytes) {}
