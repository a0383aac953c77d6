package io.grey.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.InvalidRequestException;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.TransitionConfig;
import io.grey.core.lifecycle.NativeLifecycle;
import io.grey.core.store.StoreContext;
import io.grey.testkit.GcsEmulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grey's lifecycle rules as the bucket lifecycle of the JSON API bucket resource: {@code lifecycle.rule[]} of
 * {@code {action: {type, storageClass}, condition: {age, matchesPrefix}}}.
 */
class GcsLifecycleTest {
  private static final List<LifecycleRuleConfig> RULES = List.of(new LifecycleRuleConfig("artifacts/", 365,
      List.of(new TransitionConfig(30, "INFREQUENT_ACCESS"), new TransitionConfig(90, "COLD"),
          new TransitionConfig(180, "ARCHIVE"))));

  @TempDir
  Path dir;

  private ConfigSection section(String yaml) {
    GreyConfig config = ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dir);
    return config.providerSection("gcp").orElseThrow();
  }

  @Test
  void renderGivesTheBucketResourcesLifecycleWithTheStorePrefixInEveryCondition() throws Exception {
    String rendered = new GcsLifecycle().render(RULES,
        section("gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-a\n    prefix: grey/\n"));

    JsonNode expected = new ObjectMapper().readTree("""
        {"lifecycle": {"rule": [
          {"action": {"type": "SetStorageClass", "storageClass": "NEARLINE"},
           "condition": {"age": 30, "matchesPrefix": ["grey/artifacts/"]}},
          {"action": {"type": "SetStorageClass", "storageClass": "COLDLINE"},
           "condition": {"age": 90, "matchesPrefix": ["grey/artifacts/"]}},
          {"action": {"type": "SetStorageClass", "storageClass": "ARCHIVE"},
           "condition": {"age": 180, "matchesPrefix": ["grey/artifacts/"]}},
          {"action": {"type": "Delete"}, "condition": {"age": 365, "matchesPrefix": ["grey/artifacts/"]}},
          {"action": {"type": "Delete"}, "condition": {"age": 1, "matchesPrefix": ["grey/.grey-uploads/"]}}
        ]}}
        """);
    assertThat(new ObjectMapper().readTree(rendered)).as("rendered lifecycle").isEqualTo(expected);
  }

  @Test
  void googlesOwnClassNamesPassThroughAndUnknownOnesAreRefused() {
    assertThat(GcsLifecycle.storageClass("coldline")).isEqualTo("COLDLINE");
    assertThat(GcsLifecycle.storageClass("STANDARD")).isEqualTo("STANDARD");
    ConfigSection gcp = section("gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-a\n");
    List<LifecycleRuleConfig> glacier = List.of(new LifecycleRuleConfig("proofs/", 30,
        List.of(new TransitionConfig(10, "GLACIER"))));

    assertThatThrownBy(() -> new GcsLifecycle().render(glacier, gcp)).as("a class GCS does not have")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'GLACIER' has no Cloud Storage equivalent");
  }

  @Test
  void applyStoresTheRulesOnTheBucketThroughTheClient() throws Exception {
    try (GcsEmulator emulator = GcsEmulator.start()) {
      String bucket = emulator.newBucket();
      Path key = emulator.writeServiceAccountKey(dir.resolve("sa.json"));
      String yaml = "gcp:\n  project_id: grey-emulated\n  credentials:\n    service_account_key: " + key
          + "\n  storage:\n    bucket: " + bucket + "\n    endpoint: " + emulator.endpoint() + "\n";
      GreyConfig config = ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dir);
      NativeLifecycle lifecycle = ServiceLoader.load(NativeLifecycle.class).stream().map(ServiceLoader.Provider::get)
          .filter(l -> l.kind().equals("gcs")).findFirst().orElseThrow();

      String said = lifecycle.apply(RULES, config.providerSection("gcp").orElseThrow(),
          StoreContext.of(config, Map.of()));

      assertThat(said).as("what apply reports").contains("5 rules");
      JsonNode stored = emulator.bucketResource(bucket).orElseThrow().path("lifecycle");
      JsonNode rendered = new ObjectMapper().readTree(lifecycle.render(RULES,
          config.providerSection("gcp").orElseThrow())).path("lifecycle");
      assertThat(stored).as("the lifecycle the bucket holds is the rendered one").isEqualTo(rendered);
    }
  }
}
