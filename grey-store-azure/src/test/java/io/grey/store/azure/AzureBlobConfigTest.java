package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import io.grey.core.DataClass;
import io.grey.testkit.AzuriteServer;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AzureBlobConfigTest {
  private static final String KEY = AzuriteServer.KEY;
  private static final AzureBlobConfig BASE = AzureBlobConfig.of("greystorageprod", KEY);

  private static void rejected(String what, Supplier<AzureBlobConfig> config, String messagePart) {
    assertThatThrownBy(config::get).as(what).isInstanceOf(ConfigException.class).hasMessageContaining(messagePart);
  }

  private static AzureBlobConfig withCredentials(String accountName, String accountKey, String connectionString) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, "", "artifacts", "proofs", "state", "",
        AzureBlobConfig.DEFAULT_BLOCK_SIZE, 4, Duration.ofDays(7), "", false, "");
  }

  @Test
  void defaultsMirrorTheDocumentedValues() {
    assertThat(BASE.blockSize()).as("default block_size").isEqualTo(8 * 1024 * 1024);
    assertThat(BASE.maxParallelBlocks()).as("default max_parallel_blocks").isEqualTo(4);
    assertThat(BASE.presignMaxTtl()).as("default presign_max_ttl").isEqualTo(Duration.ofDays(7));
    assertThat(BASE.container(DataClass.PROOF)).as("container of proofs").isEqualTo("proofs");
    assertThat(BASE.accessTier()).as("default access_tier (account default)").isEmpty();
  }

  @Test
  void containerNamesOutsideAzureRulesAreRejected() {
    rejected("two characters", () -> BASE.withContainers("ab", "proofs", "state"), "artifacts_container 'ab'");
    rejected("64 characters", () -> BASE.withContainers("artifacts", "p".repeat(64), "state"), "proofs_container");
    rejected("upper case", () -> BASE.withContainers("artifacts", "proofs", "State"), "state_container 'State'");
    rejected("double hyphen", () -> BASE.withContainers("art--ifacts", "proofs", "state"), "single hyphens");
    rejected("trailing hyphen", () -> BASE.withContainers("artifacts-", "proofs", "state"), "artifacts_container");
    assertThat(BASE.withContainers("abc", "p".repeat(63), "a-b-c").proofsContainer()).as("63 characters").hasSize(63);
  }

  @Test
  void credentialsAreAtMostOneOfKeyAndConnectionStringAndNeitherMeansAzureAd() {
    String connection = "AccountName=devstoreaccount1;AccountKey=" + KEY;
    assertThat(withCredentials("greystorageprod", "", "").credentialSource()).as("neither key nor string")
        .isEqualTo(AzureBlobConfig.CredentialSource.AZURE_AD);
    rejected("Azure AD without an account name", () -> withCredentials("", "", ""), "account name is required");
    rejected("both", () -> withCredentials("greystorageprod", KEY, connection), "at most one of account_key");
    rejected("connection string without a key", () -> withCredentials("", "", "AccountName=x"), "no AccountKey");
    assertThat(withCredentials("", "", connection).connectionString()).as("connection string alone").isNotEmpty();
  }

  @Test
  void accountNameAndKeyAreChecked() {
    rejected("account with upper case", () -> AzureBlobConfig.of("GreyProd", KEY), "account_name 'GreyProd'");
    rejected("account of two characters", () -> AzureBlobConfig.of("gp", KEY), "3-24 lower-case");
    rejected("key that is not base64", () -> AzureBlobConfig.of("greystorageprod", "not*base64!"), "account_key");
  }

  @Test
  void rejectedKeysAndConnectionStringsNeverAppearInMessagesOrToString() {
    String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ=*";
    assertThatThrownBy(() -> AzureBlobConfig.of("greystorageprod", secret)).as("bad key")
        .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    assertThat(BASE.toString()).as("toString of a config with a key").doesNotContain(KEY).contains("accountKey=***");
  }

  @Test
  void sizesTierEndpointAndTtlAreBounded() {
    rejected("block_size below 64 KiB", () -> BASE.withBlockSize(65535), "block_size 65535");
    rejected("block_size above 256 MiB", () -> BASE.withBlockSize(256 * 1024 * 1024 + 1), "block_size");
    rejected("no parallel blocks", () -> BASE.withMaxParallelBlocks(0), "max_parallel_blocks 0");
    rejected("too many parallel blocks", () -> BASE.withMaxParallelBlocks(65), "max_parallel_blocks 65");
    rejected("TTL above seven days", () -> BASE.withPresignMaxTtl(Duration.ofDays(8)), "presign_max_ttl");
    rejected("unknown tier", () -> BASE.withAccessTier("Warm"), "access_tier 'Warm'");
    rejected("archive tier", () -> BASE.withAccessTier("Archive"), "rehydrated");
    rejected("endpoint that is not http", () -> BASE.withEndpoint("ftp://example.com"), "endpoint");
    assertThat(BASE.withAccessTier("cool").accessTier()).as("tier names are case-insensitive").isEqualTo("Cool");
  }
}
