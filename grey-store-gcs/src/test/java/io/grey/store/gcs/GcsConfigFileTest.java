package io.grey.store.gcs;

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

/** The {@code gcp} section of a config file, read by the gcs provider, with errors at their exact lines. */
class GcsConfigFileTest {
  private static final String KMS = "projects/grey-prod/locations/global/keyRings/grey/cryptoKeys/storage";

  @TempDir
  Path dir;

  private GreyConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dir);
  }

  private GcsConfig read(String yaml) {
    return GcsConfig.read(parse(yaml).providerSection("gcp").orElseThrow());
  }

  @Test
  void everyKeyOfTheGcpSectionMapsOntoTheConfigRecord() {
    GcsConfig config = read("""
        gcp:
          project_id: grey-prod
          region: us-central1
          credentials:
            service_account_key: secrets/sa-key.json
          storage:
            bucket: grey-artifacts-prod
            prefix: grey/
            location: NAM4
            storage_class: nearline
            endpoint: http://127.0.0.1:4443
            chunk_size: 16MiB
            presign_max_ttl: 2h
            encryption:
              type: CMEK
              kms_key: %s
        """.formatted(KMS));
    assertThat(config).isEqualTo(new GcsConfig("gcp", "grey-prod", "grey-artifacts-prod", "grey/", "NAM4",
        "NEARLINE", "http://127.0.0.1:4443", 16 << 20, Duration.ofHours(2), KMS,
        GcsCredentials.serviceAccountKey(dir.resolve("secrets/sa-key.json").toAbsolutePath().normalize())));
  }

  @Test
  void omittedKeysTakeTheDefaultsAndTheRegionIsTheDefaultLocation() {
    assertThat(read("gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-artifacts\n"))
        .isEqualTo(GcsConfig.of("grey-prod", "grey-artifacts"));
    assertThat(read("gcp:\n  project_id: grey-prod\n  region: europe-west1\n  storage:\n    bucket: grey-a\n")
        .location()).as("location from gcp.region").isEqualTo("europe-west1");
    assertThat(read("gcp:\n  project_id: grey-prod\n  credentials:\n    use_workload_identity: true\n"
        + "  storage:\n    bucket: grey-a\n").credentials()).isEqualTo(GcsCredentials.defaultChain());
  }

  @Test
  void aMisspeltKeyIsRefusedAtItsLine() {
    String yaml = """
        environment: test
        gcp:
          project_id: grey-prod
          storage:
            bucket: grey-artifacts
            storage_clas: NEARLINE
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:6:5: unknown key 'gcp.storage.storage_clas' (known:");
  }

  @Test
  void anInvalidBucketIsReportedAtItsValue() {
    assertThatThrownBy(() -> parse("gcp:\n  project_id: grey-prod\n  storage:\n    bucket: Grey_Bucket\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:13: gcp.storage.bucket 'Grey_Bucket' must be 3-63 characters");
  }

  @Test
  void aChunkSizeThatIsNotAMultipleOf256KibIsRefused() {
    assertThatThrownBy(() -> parse("gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-a\n"
        + "    chunk_size: 1000KiB\n")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:5:17: gcp.storage.chunk_size must be a multiple of 256 KiB");
  }

  @Test
  void cmekWithoutAKeyAndAnUnknownEncryptionTypeAreRefused() {
    String base = "gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-a\n    encryption:\n";
    assertThatThrownBy(() -> parse(base + "      type: CMEK\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("gcp.storage.encryption.kms_key: missing");
    assertThatThrownBy(() -> parse(base + "      type: CSEK\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("gcp.storage.encryption.type 'CSEK' must be CMEK or GOOGLE_MANAGED");
    assertThatThrownBy(() -> parse(base + "      type: CMEK\n      kms_key: storage-key\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must be a key name of the form");
  }

  @Test
  void workloadIdentityAndAKeyFileTogetherAreRefused() {
    assertThatThrownBy(() -> parse("gcp:\n  project_id: grey-prod\n  credentials:\n    use_workload_identity: true\n"
        + "    service_account_key: /secrets/sa.json\n  storage:\n    bucket: grey-a\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
  }

  @Test
  void featuresGreyDoesNotImplementAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> parse("gcp:\n  project_id: grey-prod\n  firestore:\n    enabled: false\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:3:3: gcp.firestore: not supported");
    assertThatThrownBy(() -> parse("gcp:\n  project_id: grey-prod\n  gke:\n    cluster_name: x\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:3:3: gcp.gke: not supported");
    assertThatThrownBy(() -> parse("gcp:\n  project_id: p-123456\n  storage:\n    bucket: grey-a\n"
        + "    versioning: true\n")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:5:5: gcp.storage.versioning: not supported by Grey");
    assertThatThrownBy(() -> parse("gcp:\n  project_id: p-123456\n  storage:\n    bucket: grey-a\n"
        + "    lifecycle:\n      - action: Delete\n        age_days: 365\n")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:5:5: gcp.storage.lifecycle: not supported by Grey");
  }

  @Test
  void aGcpSectionWithoutStorageIsRefused() {
    assertThatThrownBy(() -> parse("gcp:\n  project_id: grey-prod\n  storag:\n    bucket: x\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:2:3: gcp.storage: missing");
  }

  @Test
  void theDescriptionNamesTheCredentialSourceButNeverAKey() throws Exception {
    GreyConfig chain = parse("gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-a\n");
    StoreDescription viaEnv = BlobStores.describe("gcs", StoreContext.of(chain,
        Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/var/run/sa.json", "HOME", dir.toString())));
    assertThat(viaEnv.credentials()).isEqualTo(
        "Application Default Credentials (env GOOGLE_APPLICATION_CREDENTIALS names /var/run/sa.json)");
    StoreDescription metadata = BlobStores.describe("gcs", StoreContext.of(chain, Map.of("HOME", dir.toString())));
    assertThat(metadata.credentials()).startsWith("Application Default Credentials (metadata server");
    assertThat(metadata.target()).isEqualTo(
        "bucket grey-a of project grey-prod (created in US if missing), Google endpoint, Google-managed encryption");

    Path keyFile = Files.writeString(dir.resolve("sa.json"), "{\"private_key\":\"s3cr3t\"}");
    GreyConfig withKey = parse("gcp:\n  project_id: grey-prod\n  credentials:\n    service_account_key: "
        + keyFile + "\n  storage:\n    bucket: grey-a\n");
    StoreDescription key = BlobStores.describe("gcs", StoreContext.of(withKey, Map.of()));
    assertThat(key.credentials()).isEqualTo("service-account key file " + keyFile + " from config");
    assertThat(key + " " + GcsConfig.read(withKey.providerSection("gcp").orElseThrow()))
        .as("no description or toString shows key material").doesNotContain("s3cr3t");
  }

  @Test
  void theGcsKindIsFoundThroughTheServiceLoader() {
    assertThat(BlobStores.provider("gcs")).isInstanceOf(GcsStoreProvider.class);
    assertThat(BlobStores.sectionOf("gcs")).isEqualTo("gcp");
  }

  @Test
  void theCommentedGcpExampleOfTheDocsIsAValidSection() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../docs/grey.example.yaml"));
    StringBuilder yaml = new StringBuilder();
    for (int i = lines.indexOf("# gcp:"); i >= 0 && i < lines.size() && lines.get(i).startsWith("# "); i++) {
      yaml.append(lines.get(i).substring(2)).append('\n');
    }
    assertThat(yaml).as("docs/grey.example.yaml has a commented gcp section").startsWith("gcp:\n");
    assertThat(read(yaml.toString())).isEqualTo(GcsConfig.of("grey-prod", "grey-artifacts-prod"));
  }
}
