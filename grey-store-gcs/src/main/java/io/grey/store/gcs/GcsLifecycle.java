package io.grey.store.gcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.BucketInfo.LifecycleRule;
import com.google.cloud.storage.BucketInfo.LifecycleRule.LifecycleAction;
import com.google.cloud.storage.BucketInfo.LifecycleRule.LifecycleCondition;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import io.grey.core.InvalidRequestException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.TransitionConfig;
import io.grey.core.lifecycle.NativeLifecycle;
import io.grey.core.store.StoreContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grey's {@code lifecycle:} rules as a Cloud Storage bucket lifecycle configuration: each transition becomes a
 * {@code SetStorageClass} rule and each expiration a {@code Delete} rule, conditioned on the object's age in days
 * and on the name prefix {@code gcp.storage.prefix + rule prefix}. One more {@code Delete} rule removes staging
 * objects of interrupted large puts ({@code <prefix>.grey-uploads/}) after a day. Generic classes map to Google's
 * (INFREQUENT_ACCESS to NEARLINE, COLD to COLDLINE, ARCHIVE to ARCHIVE); Google's own names (STANDARD, NEARLINE,
 * COLDLINE, ARCHIVE) pass through. Stateless and thread-safe.
 */
public final class GcsLifecycle implements NativeLifecycle {
  /** Days after which a leftover staging object of an interrupted put is deleted. */
  static final int STAGING_DAYS = 1;
  private static final Map<String, String> GENERIC = Map.of(
      "INFREQUENT_ACCESS", "NEARLINE",
      "COLD", "COLDLINE",
      "ARCHIVE", "ARCHIVE");
  private static final List<String> NATIVE = List.of("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE");

  /** Used by {@link java.util.ServiceLoader}. */
  public GcsLifecycle() {}

  @Override
  public String kind() {
    return "gcs";
  }

  @Override
  public String format() {
    return "Cloud Storage bucket lifecycle JSON (JSON API bucket resource)";
  }

  /**
   * The {@code {"lifecycle": {"rule": [...]}}} fragment of the bucket resource, as {@code PATCH
   * storage/v1/b/<bucket>} and {@code gcloud storage buckets update --lifecycle-file} take it.
   */
  @Override
  public String render(List<LifecycleRuleConfig> rules, ConfigSection section) {
    GcsConfig config = GcsConfig.read(section);
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode out = root.putObject("lifecycle").putArray("rule");
    for (Rule rule : rules(rules, config.prefix())) {
      ObjectNode node = out.addObject();
      ObjectNode action = node.putObject("action");
      action.put("type", rule.storageClass == null ? "Delete" : "SetStorageClass");
      if (rule.storageClass != null) {
        action.put("storageClass", rule.storageClass);
      }
      ObjectNode condition = node.putObject("condition");
      condition.put("age", rule.age);
      condition.putArray("matchesPrefix").add(rule.prefix);
    }
    return root.toPrettyString();
  }

  /** Replaces the bucket's lifecycle configuration with {@link #render}'s rules through the bucket patch call. */
  @Override
  public String apply(List<LifecycleRuleConfig> rules, ConfigSection section, StoreContext context) {
    GcsConfig config = GcsConfig.read(section);
    List<LifecycleRule> native_ = new ArrayList<>();
    for (Rule rule : rules(rules, config.prefix())) {
      LifecycleAction action = rule.storageClass == null ? LifecycleAction.newDeleteAction()
          : LifecycleAction.newSetStorageClassAction(StorageClass.valueOf(rule.storageClass));
      native_.add(new LifecycleRule(action, LifecycleCondition.newBuilder().setAge(rule.age)
          .setMatchesPrefix(List.of(rule.prefix)).build()));
    }
    try (GcsStore store = GcsStore.create(config, context.clock())) {
      Storage storage = store.storage();
      try {
        storage.update(BucketInfo.newBuilder(config.bucket()).setLifecycleRules(native_).build());
      } catch (RuntimeException e) {
        throw GcsErrors.map(config.name(), "set the lifecycle of bucket " + config.bucket(), e);
      }
    }
    return "bucket " + config.bucket() + ": lifecycle replaced with " + native_.size() + " rules ("
        + rules.size() + " Grey rules and the staging clean-up rule)";
  }

  /** One native rule: delete ({@code storageClass} null) or change class at {@code age} days under prefix. */
  private record Rule(String prefix, int age, String storageClass) {}

  private static List<Rule> rules(List<LifecycleRuleConfig> rules, String bucketPrefix) {
    List<Rule> out = new ArrayList<>();
    for (LifecycleRuleConfig rule : rules) {
      String prefix = bucketPrefix + rule.prefix();
      for (TransitionConfig t : rule.transitions()) {
        out.add(new Rule(prefix, t.days(), storageClass(t.storageClass())));
      }
      out.add(new Rule(prefix, rule.expirationDays(), null));
    }
    out.add(new Rule(bucketPrefix + GcsStore.UPLOADS, STAGING_DAYS, null));
    return out;
  }

  /**
   * Google's name for a storage class given in Grey's config.
   *
   * @throws InvalidRequestException if Cloud Storage has no equivalent
   */
  static String storageClass(String configured) {
    String name = configured.toUpperCase(Locale.ROOT);
    if (NATIVE.contains(name)) {
      return name;
    }
    String mapped = GENERIC.get(name);
    if (mapped == null) {
      throw new InvalidRequestException("lifecycle storage class '" + configured + "' has no Cloud Storage"
          + " equivalent: use INFREQUENT_ACCESS, COLD, ARCHIVE or one of " + String.join(", ", NATIVE));
    }
    return mapped;
  }
}
