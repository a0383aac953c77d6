package io.grey.store.azure;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grey's lifecycle rules as an Azure management policy: the JSON has the shape of Microsoft's documented policy
 * examples, prefixes follow the store's key-to-container layout, and apply says how to install the policy.
 */
class AzureLifecycleTest {
  /**
   * The shape of Microsoft's documented example "Move aging data to a cooler tier" (Lifecycle management policies
   * that transition blobs between tiers), with a delete action as in its expiry examples.
   */
  private static final String MICROSOFT_EXAMPLE = """
      {
        "rules": [
          {
            "enabled": true,
            "name": "grey1artifacts",
            "type": "Lifecycle",
            "definition": {
              "filters": {
                "blobTypes": [ "blockBlob" ],
                "prefixMatch": [ "artifacts/artifacts/" ]
              },
              "actions": {
                "baseBlob": {
                  "tierToCool": { "daysAfterModificationGreaterThan": 30 },
                  "tierToArchive": { "daysAfterModificationGreaterThan": 90 },
                  "delete": { "daysAfterModificationGreaterThan": 365 }
                }
              }
            }
          }
        ]
      }
      """;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<LifecycleRuleConfig> SEED_RULES = List.of(new LifecycleRuleConfig("artifacts/", 365,
      List.of(new TransitionConfig(30, "INFREQUENT_ACCESS"), new TransitionConfig(90, "ARCHIVE"))));
  private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final NativeLifecycle lifecycle = new AzureLifecycle();

  @TempDir
  Path dir;

  private GreyConfig config(String containers) {
    return ConfigLoader.parse("""
        azure:
          blob_storage:
            account_name: greyprod
            account_key: %s
        %s
        """.formatted(KEY, containers), "grey.yaml", Map.of(), dir);
  }

  private ConfigSection azure(String containers) {
    return config(containers).providerSection("azure").orElseThrow();
  }

  private JsonNode render(List<LifecycleRuleConfig> rules, String containers) throws Exception {
    return JSON.readTree(lifecycle.render(rules, azure(containers)));
  }

  private static List<String> prefixes(JsonNode policy) {
    List<String> out = new ArrayList<>();
    policy.at("/rules/0/definition/filters/prefixMatch").forEach(p -> out.add(p.asText()));
    return out;
  }

  @Test
  void theSeedRuleRendersToMicrosoftsDocumentedPolicyShape() throws Exception {
    assertThat(render(SEED_RULES, "")).as("rendered policy").isEqualTo(JSON.readTree(MICROSOFT_EXAMPLE));
  }

  @Test
  void prefixesStartWithTheContainerTheStoreWritesThatDataClassTo() throws Exception {
    String containers = """
            artifacts_container: grey-art
            proofs_container: grey-proofs
            state_container: grey-state
        """;
    assertThat(prefixes(render(SEED_RULES, containers))).as("artifacts/ keys live in artifacts_container")
        .containsExactly("grey-art/artifacts/");
    List<LifecycleRuleConfig> proofs = List.of(new LifecycleRuleConfig("proofs/acme/", 30, List.of()));
    assertThat(prefixes(render(proofs, containers))).containsExactly("grey-proofs/proofs/acme/");
    List<LifecycleRuleConfig> other = List.of(new LifecycleRuleConfig("tmp/", 30, List.of()));
    assertThat(prefixes(render(other, containers))).as("keys outside the data classes live in state_container")
        .containsExactly("grey-state/tmp/");
  }

  @Test
  void aPrefixReachingSeveralContainersListsEachOfThem() throws Exception {
    String containers = """
            artifacts_container: grey-art
            proofs_container: grey-proofs
            state_container: grey-state
        """;
    List<LifecycleRuleConfig> rules = List.of(new LifecycleRuleConfig("a", 30, List.of()));
    assertThat(prefixes(render(rules, containers)))
        .as("'a' reaches artifacts/... keys and keys outside the classes such as audit/...")
        .containsExactly("grey-art/a", "grey-state/a");
    List<LifecycleRuleConfig> all = List.of(new LifecycleRuleConfig("p", 30, List.of()));
    assertThat(prefixes(render(all, containers))).containsExactly("grey-proofs/p", "grey-state/p");
  }

  @Test
  void genericClassesMapToAzureTiersAndAzureNamesPassThrough() throws Exception {
    List<LifecycleRuleConfig> rules = List.of(new LifecycleRuleConfig("state/", 400,
        List.of(new TransitionConfig(30, "cool"), new TransitionConfig(60, "COLD"), new TransitionConfig(180,
            "Archive"))));
    JsonNode baseBlob = render(rules, "").at("/rules/0/definition/actions/baseBlob");
    assertThat(baseBlob.at("/tierToCool/daysAfterModificationGreaterThan").asInt()).isEqualTo(30);
    assertThat(baseBlob.at("/tierToCold/daysAfterModificationGreaterThan").asInt()).isEqualTo(60);
    assertThat(baseBlob.at("/tierToArchive/daysAfterModificationGreaterThan").asInt()).isEqualTo(180);
    assertThat(baseBlob.at("/delete/daysAfterModificationGreaterThan").asInt()).isEqualTo(400);
  }

  @Test
  void aClassAzureDoesNotHaveIsRefusedNamingIt() {
    List<LifecycleRuleConfig> rules =
        List.of(new LifecycleRuleConfig("artifacts/", 365, List.of(new TransitionConfig(30, "GLACIER"))));
    assertThatThrownBy(() -> lifecycle.render(rules, azure("")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'GLACIER' has no Azure equivalent");
  }

  @Test
  void twoTransitionsToOneTierOrBackToAWarmerOneAreRefused() {
    assertThatThrownBy(() -> lifecycle.render(List.of(new LifecycleRuleConfig("a/", 365,
        List.of(new TransitionConfig(30, "INFREQUENT_ACCESS"), new TransitionConfig(60, "Cool")))), azure("")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("two transitions to Cool");
    assertThatThrownBy(() -> lifecycle.render(List.of(new LifecycleRuleConfig("a/", 365,
        List.of(new TransitionConfig(30, "ARCHIVE"), new TransitionConfig(60, "COLD")))), azure("")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("follows one to the colder tier Archive");
  }

  @Test
  void applySaysHowToInstallThePolicyWithTheAzureCli() {
    StoreContext context = StoreContext.of(config(""), Map.of());
    assertThatThrownBy(() -> lifecycle.apply(SEED_RULES, azure(""), context))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("az storage account management-policy create --account-name greyprod"
            + " --resource-group <resource-group> --policy @policy.json")
        .hasMessageContaining("--out policy.json");
  }

  @Test
  void theProviderIsFoundByServiceLoaderUnderKindAzure() {
    assertThat(ServiceLoader.load(NativeLifecycle.class).stream().map(p -> p.get().kind()))
        .as("META-INF/services lists AzureLifecycle").contains("azure");
  }
}
