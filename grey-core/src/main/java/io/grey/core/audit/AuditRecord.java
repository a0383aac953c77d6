package io.grey.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of an audit log: an {@link AuditEntry} with its place in the hash chain.
 *
 * @param seq the position in the log, from 1, without gaps
 * @param time when the log appended it
 * @param entry who did what, where, and the result
 * @param prev lower-case hex SHA-256 of the previous line's exact bytes ({@link AuditLog#GENESIS} for the first)
 * @param hash lower-case hex SHA-256 of this entry's canonical content, {@code prev} included
 */
public record AuditRecord(long seq, Instant time, AuditEntry entry, String prev, String hash) {
  public AuditRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(prev, "prev");
    Objects.requireNonNull(hash, "hash");
  }
}
