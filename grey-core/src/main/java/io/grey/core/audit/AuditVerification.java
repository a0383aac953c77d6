package io.grey.core.audit;

import java.util.Objects;

/**
 * The outcome of checking an audit log's hash chain and head anchor.
 *
 * @param ok whether every line and the anchor check out
 * @param entriesChecked how many lines were found intact before the first problem (all of them when ok)
 * @param firstBadLine the 1-based line number of the first problem, 0 when ok; a line past the end means lines
 *     are missing there
 * @param reason what is wrong, "" when ok
 */
public record AuditVerification(boolean ok, long entriesChecked, long firstBadLine, String reason) {
  public AuditVerification {
    Objects.requireNonNull(reason, "reason");
  }

  static AuditVerification intact(long entries) {
    return new AuditVerification(true, entries, 0, "");
  }

  static AuditVerification broken(long entriesChecked, long line, String reason) {
    return new AuditVerification(false, entriesChecked, line, reason);
  }
}
