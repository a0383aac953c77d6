package io.grey.core.audit;

import io.grey.core.InvalidRequestException;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened, as the caller states it: who did what, where, and how it ended. The log adds the
 * sequence number, time and hash chain when it appends it (see {@link AuditRecord}).
 *
 * @param actor who: a user, service account or node (for example from {@link io.grey.core.context.CallContext})
 * @param action what: {@code put}, {@code delete}, {@code set_tags}, {@code presign}, ...
 * @param store where: the store's name
 * @param key where: the object key, or "" for an action on the store as a whole
 * @param result {@value #OK}, or the error code of the failure (for example {@code precondition_failed})
 * @param details what else is worth keeping (size, version, ...); small values only
 * @throws InvalidRequestException if actor, action, store or result is blank, or a details key is blank
 */
public record AuditEntry(
    String actor, String action, String store, String key, String result, Map<String, String> details) {
  /** The result of an action that succeeded. */
  public static final String OK = "ok";

  public AuditEntry {
    requireText("actor", actor);
    requireText("action", action);
    requireText("store", store);
    Objects.requireNonNull(key, "key");
    requireText("result", result);
    Objects.requireNonNull(details, "details");
    for (String name : details.keySet()) {
      requireText("details key", name);
    }
    details = Map.copyOf(details);
  }

  /** An entry for {@code action} that succeeded. */
  public static AuditEntry ok(String actor, String action, String store, String key, Map<String, String> details) {
    return new AuditEntry(actor, action, store, key, OK, details);
  }

  /** An entry for {@code action} that failed with {@code errorCode}. */
  public static AuditEntry failed(
      String actor, String action, String store, String key, String errorCode, Map<String, String> details) {
    return new AuditEntry(actor, action, store, key, errorCode, details);
  }

  /** Whether the action succeeded. */
  public boolean succeeded() {
    return OK.equals(result);
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException("audit entry " + what + " must not be blank");
    }
  }
}
