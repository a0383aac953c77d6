package io.grey.cli;

import io.grey.core.InvalidKeyException;
import io.grey.core.TaskId;
import io.grey.core.Tenant;
import java.util.Objects;

/**
 * A task as named on the command line, {@code TENANT/TASK}, validated by Grey's key rules.
 *
 * @param tenant the tenant
 * @param task the task
 */
record TaskRef(Tenant tenant, TaskId task) {
  TaskRef {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(task, "task");
  }

  /**
   * Parses {@code TENANT/TASK}; a trailing '/' is allowed.
   *
   * @throws InvalidKeyException naming the part that breaks a rule
   */
  static TaskRef parse(String text) {
    String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    String[] parts = trimmed.split("/", -1);
    if (parts.length != 2) {
      throw new InvalidKeyException("'" + text + "' is not TENANT/TASK");
    }
    return new TaskRef(new Tenant(parts[0]), new TaskId(parts[1]));
  }

  @Override
  public String toString() {
    return tenant + "/" + task;
  }
}
