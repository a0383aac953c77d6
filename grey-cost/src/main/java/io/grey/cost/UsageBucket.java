package io.grey.cost;

import java.util.Objects;

/**
 * Who and what one hour of usage is about: the hour (hours since the epoch, UTC), the tenant, the task (or
 * {@value #NO_TASK} for keys without one), the named store and the data class ({@code artifacts}, {@code proofs},
 * {@code state}, or {@value #NONE}).
 */
record UsageBucket(long hour, String tenant, String task, String store, String dataClass) {
  static final String NONE = "none";
  static final String NO_TASK = "-";

  UsageBucket {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(dataClass, "dataClass");
  }

  /** The same subject in another hour. */
  UsageBucket at(long otherHour) {
    return new UsageBucket(otherHour, tenant, task, store, dataClass);
  }
}
