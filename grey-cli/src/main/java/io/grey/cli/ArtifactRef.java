package io.grey.cli;

import io.grey.core.ArtifactName;
import io.grey.core.InvalidKeyException;
import io.grey.core.ObjectKey;
import io.grey.core.TaskId;
import io.grey.core.Tenant;
import java.util.Objects;

/**
 * An artifact as named on the command line, {@code TENANT/TASK/NAME} (the name may contain '/'), validated by
 * Grey's key rules before anything is sent.
 *
 * @param tenant the tenant
 * @param task the task
 * @param name the artifact name
 */
record ArtifactRef(Tenant tenant, TaskId task, ArtifactName name) {
  ArtifactRef {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Parses {@code TENANT/TASK/NAME}.
   *
   * @throws InvalidKeyException naming the part that breaks a rule
   */
  static ArtifactRef parse(String text) {
    String[] parts = text.split("/", 3);
    if (parts.length < 3 || parts[2].isEmpty()) {
      throw new InvalidKeyException("'" + text + "' is not TENANT/TASK/NAME");
    }
    return new ArtifactRef(new Tenant(parts[0]), new TaskId(parts[1]), new ArtifactName(parts[2]));
  }

  TaskRef taskRef() {
    return new TaskRef(tenant, task);
  }

  /** The object key the server stores this artifact under, for messages. */
  ObjectKey key() {
    return ObjectKey.artifact(tenant, task, name);
  }

  @Override
  public String toString() {
    return tenant + "/" + task + "/" + name;
  }
}
