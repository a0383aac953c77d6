package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import io.grey.core.store.BlobStores;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code azure} section of a config file, read by the azure provider, with errors at their exact lines. */
class AzureConfigFileTest {
  private static final String KEY = "c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==";

  @TempDir
  Path dir;

  private GreyConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of("AZURE_STORAGE_KEY", KEY), dir);
  }

  private AzureBlobConfig read(String yaml) {
    return AzureBlobConfig.read(parse(yaml).providerSection("azure").orElseThrow());
  }

  @Test
  void everyKeyOfTheBlobStorageSectionMapsOntoTheConfigRecord() {
    AzureBlobConfig config = read("""
        azure:
          blob_storage:
            account_name: greystorageprod
            account_key: ${AZURE_STORAGE_KEY}
            endpoint: http://127.0.0.1:10000/greystorageprod
            artifacts_container: grey-artifacts
            proofs_container: grey-proofs
            state_container: grey-state
            access_tier: cool
            block_size: 4MiB
            max_parallel_blocks: 8
            presign_max_ttl: 2h
            encryption_scope: grey-cmk
        """);
    assertThat(config).isEqualTo(new AzureBlobConfig("greystorageprod", KEY, "",
        "http://127.0.0.1:10000/greystorageprod", "grey-artifacts", "grey-proofs", "grey-state", "Cool",
        4 << 20, 8, Duration.ofHours(2), "grey-cmk", false, ""));
  }

  @Test
  void omittedKeysTakeTheDefaults() {
    assertThat(read("azure:\n  blob_storage:\n    account_name: greystorage\n    account_key: " + KEY + "\n"))
        .isEqualTo(AzureBlobConfig.of("greystorage", KEY));
  }

  @Test
  void aMisspeltKeyIsRefusedAtItsLine() {
    String yaml = """
        environment: test
        azure:
          blob_storage:
            account_name: greystorage
            account_key: ${AZURE_STORAGE_KEY}
            artifact_container: artifacts
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:6:5: unknown key 'azure.blob_storage.artifact_container' (known:");
  }

  @Test
  void anInvalidAccountNameIsReportedAtItsValue() {
    String yaml = "azure:\n  blob_storage:\n    account_name: Grey-Storage\n    account_key: " + KEY + "\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:19: azure.blob_storage.account_name 'Grey-Storage' must be 3-24 lower-case"
            + " letters and digits");
  }

  @Test
  void aBadAccountKeyIsRefusedWithoutShowingIt() {
    String yaml = "azure:\n  blob_storage:\n    account_name: greystorage\n    account_key: not*base64!\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:4:18: azure.blob_storage.account_key is not valid base64 (value not shown)");
  }

  @Test
  void bothAccountKeyAndConnectionStringAreRefused() {
    String yaml = """
        azure:
          blob_storage:
            account_name: greystorage
            account_key: ${AZURE_STORAGE_KEY}
            connection_string: "AccountName=greystorage;AccountKey=${AZURE_STORAGE_KEY}"
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:5: azure.blob_storage: give at most one of account_key and connection_string")
        .message().doesNotContain(KEY);
  }

  @Test
  void featuresGreyDoesNotImplementAreRefusedNamingTheKey() {
    String yaml = """
        azure:
          blob_storage:
            account_name: greystorage
            account_key: ${AZURE_STORAGE_KEY}
            enable_soft_delete: true
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:5:5: azure.blob_storage.enable_soft_delete: not supported by Grey");
    assertThatThrownBy(() -> parse("azure:\n  cosmos_db:\n    enabled: false\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:2:3: azure.cosmos_db: not supported");
  }

  @Test
  void anAzureSectionWithoutBlobStorageIsRefused() {
    assertThatThrownBy(() -> parse("azure:\n  blob_storag:\n    account_name: x\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:2:3: azure.blob_storage: missing");
  }

  @Test
  void theDescriptionNamesTheCredentialSourceButNeverTheKey() {
    GreyConfig withKey =
        parse("azure:\n  blob_storage:\n    account_name: greystorage\n    account_key: " + KEY + "\n");
    StoreDescription key = BlobStores.describe("azure", StoreContext.of(withKey, Map.of()));
    assertThat(key.credentials()).isEqualTo("account key from config");
    assertThat(key.target()).isEqualTo("account greystorage, containers artifacts/proofs/state");
    GreyConfig withString = parse("azure:\n  blob_storage:\n    connection_string: \"AccountName=greystorage;"
        + "AccountKey=" + KEY + ";EndpointSuffix=core.windows.net\"\n");
    StoreDescription string = BlobStores.describe("azure", StoreContext.of(withString, Map.of()));
    assertThat(string.credentials()).isEqualTo("connection string from config");
    assertThat(key + " " + string + " " + AzureBlobConfig.read(withString.providerSection("azure").orElseThrow()))
        .as("no description or toString shows the key").doesNotContain(KEY);
  }

  @Test
  void withoutAKeyTheStoreUsesAzureAdAndTheDescriptionNamesTheLinkThatWouldAnswer() {
    GreyConfig chain = parse("azure:\n  blob_storage:\n    account_name: greystorage\n");
    assertThat(BlobStores.describe("azure", StoreContext.of(chain, Map.of())).credentials())
        .as("no AZURE_* environment").startsWith("Azure AD DefaultAzureCredential (managed identity (system-assigned;"
            + " instance metadata service), then Azure CLI");
    Map<String, String> principal = Map.of("AZURE_TENANT_ID", "t-id", "AZURE_CLIENT_ID", "c-id",
        "AZURE_CLIENT_SECRET", "s3cr3t-value");
    String described = BlobStores.describe("azure", StoreContext.of(chain, principal)).credentials();
    assertThat(described).as("service principal in the environment").isEqualTo("Azure AD DefaultAzureCredential"
        + " (environment service principal, env AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET set)");
    assertThat(described).as("values of the variables").doesNotContain("s3cr3t-value").doesNotContain("c-id");
    assertThat(BlobStores.describe("azure", StoreContext.of(chain, Map.of("AZURE_TENANT_ID", "t",
        "AZURE_CLIENT_ID", "c", "AZURE_FEDERATED_TOKEN_FILE", "/var/run/token"))).credentials())
        .as("workload identity").contains("workload identity, env AZURE_FEDERATED_TOKEN_FILE");
  }

  @Test
  void theSeedsManagedIdentityShapeSelectsTheManagedIdentityAlone() {
    GreyConfig managed = parse("""
        azure:
          azure_ad:
            use_managed_identity: true
            client_id: 11111111-2222-3333-4444-555555555555
          blob_storage:
            account_name: greystorage
            encryption_scope: grey-cmk
        """);
    AzureBlobConfig config = AzureBlobConfig.read(managed.providerSection("azure").orElseThrow());
    assertThat(config).isEqualTo(AzureBlobConfig.ofAzureAd("greystorage", true, "11111111-2222-3333-4444-555555555555")
        .withEncryptionScope("grey-cmk"));
    StoreDescription description = BlobStores.describe("azure", StoreContext.of(managed, Map.of("IDENTITY_ENDPOINT",
        "http://localhost:42356/msi/token")));
    assertThat(description.credentials()).isEqualTo("Azure AD managed identity (user-assigned, client id"
        + " 11111111-2222-3333-4444-555555555555; env IDENTITY_ENDPOINT set)");
    assertThat(description.target()).endsWith(", encryption scope grey-cmk");
  }

  @Test
  void aManagedIdentityNextToAnAccountKeyIsRefused() {
    String yaml = "azure:\n  azure_ad:\n    use_managed_identity: true\n  blob_storage:\n    account_name: greystorage\n"
        + "    account_key: " + KEY + "\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("azure.azure_ad applies only without account_key and connection_string")
        .message().doesNotContain(KEY);
  }

  @Test
  void aKeyVaultUrlIsRefusedPointingToEncryptionScopes() {
    String yaml = """
        azure:
          blob_storage:
            account_name: greystorage
            key_vault_url: https://grey-vault.vault.azure.net/
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:5: azure.blob_storage.key_vault_url: not supported by Grey")
        .hasMessageContaining("set azure.blob_storage.encryption_scope");
  }

  @Test
  void theAzureKindIsFoundThroughTheServiceLoader() {
    assertThat(BlobStores.provider("azure")).isInstanceOf(AzureBlobStoreProvider.class);
  }
  @Test
  void theCommentedAzureExampleOfTheDocsIsAValidSection() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../docs/grey.example.yaml"));
    StringBuilder yaml = new StringBuilder();
    for (int i = lines.indexOf("# azure:"); i >= 0 && i < lines.size() && lines.get(i).startsWith("# "); i++) {
      yaml.append(lines.get(i).substring(2)).append('\n');
    }
    assertThat(yaml).as("docs/grey.example.yaml has a commented azure section").startsWith("azure:\n");
    assertThat(read(yaml.toString())).isEqualTo(AzureBlobConfig.of("greystorageprod", KEY));
  }
}
