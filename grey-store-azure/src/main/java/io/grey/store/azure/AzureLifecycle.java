package io.grey.store.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.DataClass;
import io.grey.core.InvalidRequestException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.TransitionConfig;
import io.grey.core.lifecycle.NativeLifecycle;
import io.grey.core.store.StoreContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Grey's {@code lifecycle:} rules as an Azure storage account management policy (the JSON document of
 * {@code az storage account management-policy create --policy}). Each Grey rule becomes one enabled rule of type
 * {@code Lifecycle} named {@code grey<n><prefix letters and digits>}, filtering block blobs by prefix and acting
 * on the base blob: {@code tierToCool}, {@code tierToCold} or {@code tierToArchive} after each transition's days
 * and {@code delete} after {@code expiration_days}, all counted from the last modification.
 *
 * <p>Prefixes follow {@link AzureBlobStore}'s layout: a key's data class picks its container
 * ({@code artifacts/...} in {@code artifacts_container}, {@code proofs/...} in {@code proofs_container},
 * {@code state/...} and every other key in {@code state_container}) and the blob name is the whole key. A policy
 * prefix starts with the container name, so a Grey prefix becomes {@code <container>/<prefix>} for every
 * container a key with that prefix can live in: {@code artifacts/} gives {@code artifacts/artifacts/} with the
 * default containers, and a prefix such as {@code a} that reaches several containers gives one entry for each.
 *
 * <p>Storage classes: {@code INFREQUENT_ACCESS -> Cool}, {@code COLD -> Cold}, {@code ARCHIVE -> Archive}; Azure's
 * own tier names {@code Cool}, {@code Cold} and {@code Archive} pass through (any case). Refused, naming the rule:
 * any other class, two transitions to one tier (a rule holds each action once), and a transition to a warmer tier
 * than an earlier one.
 *
 * <p>Management policies belong to Azure Resource Manager, not to the blob service Grey talks to with a shared
 * key, so {@link #apply} cannot install one; it says how to install the rendered document with the Azure CLI.
 * Stateless and thread-safe.
 */
public final class AzureLifecycle implements NativeLifecycle {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, String> TIERS = Map.of(
      "INFREQUENT_ACCESS", "Cool", "COOL", "Cool",
      "COLD", "Cold",
      "ARCHIVE", "Archive");
  // Colder tiers later: blobs only ever move down this list.
  private static final List<String> COLDNESS = List.of("Cool", "Cold", "Archive");
  private static final int MAX_NAME_LENGTH = 256;

  /** Used by {@link java.util.ServiceLoader}. */
  public AzureLifecycle() {}

  @Override
  public String kind() {
    return "azure";
  }

  @Override
  public String format() {
    return "Azure storage management policy JSON";
  }

  /** The management policy JSON for the containers that {@code section} (the {@code azure} section) names. */
  @Override
  public String render(List<LifecycleRuleConfig> rules, ConfigSection section) {
    AzureBlobConfig config = AzureBlobConfig.read(section);
    try {
      return JSON.writeValueAsString(policy(rules, config)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
    }
  }

  /**
   * Installs nothing: always throws, saying how to install the rendered policy with the Azure CLI.
   *
   * @throws InvalidRequestException always, since the blob service's API cannot set a management policy
   */
  @Override
  public String apply(List<LifecycleRuleConfig> rules, ConfigSection section, StoreContext context) {
    AzureBlobConfig config = AzureBlobConfig.read(section);
    policy(rules, config);
    throw new InvalidRequestException("a storage account's lifecycle is a management policy, which only"
        + " Azure Resource Manager sets (the blob service API Grey uses cannot); write the policy with"
        + " `grey lifecycle apply --store azure --dry-run --out policy.json` and install it with"
        + " `az storage account management-policy create --account-name " + accountName(config)
        + " --resource-group <resource-group> --policy @policy.json`");
  }

  /** The policy document as a JSON tree. */
  static ObjectNode policy(List<LifecycleRuleConfig> rules, AzureBlobConfig config) {
    if (rules.isEmpty()) {
      throw new InvalidRequestException("no lifecycle rules to install: an Azure management policy needs at"
          + " least one rule");
    }
    ObjectNode policy = JSON.createObjectNode();
    ArrayNode out = policy.putArray("rules");
    for (int i = 0; i < rules.size(); i++) {
      LifecycleRuleConfig rule = rules.get(i);
      String name = name(i, rule.prefix());
      ObjectNode r = out.addObject();
      r.put("enabled", true);
      r.put("name", name);
      r.put("type", "Lifecycle");
      ObjectNode definition = r.putObject("definition");
      ObjectNode filters = definition.putObject("filters");
      filters.putArray("blobTypes").add("blockBlob");
      ArrayNode prefixes = filters.putArray("prefixMatch");
      for (String container : containersFor(rule.prefix(), config)) {
        prefixes.add(container + "/" + rule.prefix());
      }
      ObjectNode baseBlob = definition.putObject("actions").putObject("baseBlob");
      String previous = null;
      for (TransitionConfig t : rule.transitions()) {
        String tier = tier(name, t.storageClass());
        String action = "tierTo" + tier;
        if (baseBlob.has(action)) {
          throw new InvalidRequestException("lifecycle rule " + name + ": two transitions to " + tier
              + "; an Azure rule holds each action once");
        }
        if (previous != null && COLDNESS.indexOf(tier) < COLDNESS.indexOf(previous)) {
          throw new InvalidRequestException("lifecycle rule " + name + ": a transition to " + tier + " after "
              + t.days() + " days follows one to the colder tier " + previous);
        }
        baseBlob.putObject(action).put("daysAfterModificationGreaterThan", t.days());
        previous = tier;
      }
      baseBlob.putObject("delete").put("daysAfterModificationGreaterThan", rule.expirationDays());
    }
    return policy;
  }

  /** The Azure tier for a configured {@code storage_class}. */
  static String tier(String ruleName, String configured) {
    String tier = TIERS.get(configured.toUpperCase(Locale.ROOT));
    if (tier == null) {
      throw new InvalidRequestException("lifecycle rule " + ruleName + ": storage class '" + configured
          + "' has no Azure equivalent; use INFREQUENT_ACCESS, COLD, ARCHIVE or one of Azure's tiers Cool, Cold,"
          + " Archive");
    }
    return tier;
  }

  /**
   * The containers a key starting with {@code prefix} can be stored in, each once, by the same rule as
   * {@link AzureBlobStore}'s listing: the container of every data class whose prefix it can reach, and the state
   * container when it can reach keys outside the data classes.
   */
  static List<String> containersFor(String prefix, AzureBlobConfig config) {
    Set<String> names = new LinkedHashSet<>();
    boolean outsideClasses = true;
    for (DataClass dataClass : DataClass.values()) {
      String classPrefix = dataClass.prefix() + "/";
      if (prefix.startsWith(classPrefix)) {
        outsideClasses = false;
      }
      if (prefix.startsWith(classPrefix) || classPrefix.startsWith(prefix)) {
        names.add(config.container(dataClass));
      }
    }
    if (outsideClasses) {
      names.add(config.stateContainer());
    }
    return new ArrayList<>(names);
  }

  /** {@code grey<n><prefix>} with only letters and digits, the characters a policy rule name may hold. */
  static String name(int index, String prefix) {
    String name = "grey" + (index + 1) + prefix.replaceAll("[^A-Za-z0-9]+", "");
    return name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
  }

  private static String accountName(AzureBlobConfig config) {
    if (!config.accountName().isEmpty()) {
      return config.accountName();
    }
    for (String part : config.connectionString().split(";")) {
      if (part.startsWith("AccountName=")) {
        return part.substring("AccountName=".length());
      }
    }
    return "<account>";
  }
}
