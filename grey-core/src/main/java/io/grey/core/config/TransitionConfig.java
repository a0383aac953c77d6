package io.grey.core.config;

/**
 * One entry of a lifecycle rule's {@code transitions}: move objects to a cheaper class after some days. Applied
 * by cloud backends through their own lifecycle features; the local sweeper ignores transitions.
 *
 * @param days age in days after which the transition applies ({@code days}, positive)
 * @param storageClass the target class as the cloud names it ({@code storage_class}, e.g. INFREQUENT_ACCESS)
 * @throws io.grey.core.ConfigException naming the rule that is broken
 */
public record TransitionConfig(int days, String storageClass) {
  public TransitionConfig {
    Check.positive("lifecycle.transitions.days", days);
    Check.storageClass("lifecycle.transitions.storage_class", storageClass);
  }

  static TransitionConfig read(ConfigSection s) {
    int days = s.requiredInteger("days", Check::positive);
    String storageClass = s.requiredString("storage_class", Check::storageClass);
    return s.build(() -> new TransitionConfig(days, storageClass));
  }
}
