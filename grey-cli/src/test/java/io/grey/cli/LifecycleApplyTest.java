package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.testkit.GcsEmulator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code grey lifecycle apply} over a configuration with an S3 bucket (an in-process s3proxy) and an Azure account:
 * the native documents it prints, and what happens when it installs them.
 */
class LifecycleApplyTest {
  private static final String ACCESS_KEY = "grey-cli-lifecycle-key";
  private static final String SECRET_KEY = "grey-cli-lifecycle-secret-0123456789";
  private static final String BUCKET = "grey-cli-lifecycle";
  private static final String AZURE_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static S3Proxy proxy;

  @TempDir
  Path dir;
  private Path config;

  @BeforeAll
  static void startS3() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()));
    try (S3Client admin = S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    proxy.stop();
  }

  private static URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  @BeforeEach
  void writeConfig() throws Exception {
    config = Files.writeString(dir.resolve("grey.yaml"), """
        server:
          data_dir: %s
        aws:
          region: us-east-1
          credentials:
            access_key_id: %s
            secret_access_key: %s
          s3:
            bucket: %s
            prefix: grey/
            endpoint: %s
            force_path_style: true
            tags: false
        azure:
          blob_storage:
            account_name: greyprod
            account_key: %s
            artifacts_container: grey-artifacts
        lifecycle:
          - prefix: artifacts/
            transitions:
              - days: 30
                storage_class: INFREQUENT_ACCESS
              - days: 90
                storage_class: ARCHIVE
            expiration_days: 365
        """.formatted(dir.resolve("data"), ACCESS_KEY, SECRET_KEY, BUCKET, endpoint(), AZURE_KEY));
  }

  private static Document xml(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document doc, String element) {
    List<String> out = new ArrayList<>();
    var nodes = doc.getElementsByTagNameNS("http://s3.amazonaws.com/doc/2006-03-01/", element);
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent().strip());
    }
    return out;
  }

  private static JsonNode store(JsonNode doc, String kind) {
    for (JsonNode store : doc.get("stores")) {
      if (store.get("kind").asText().equals(kind)) {
        return store;
      }
    }
    throw new AssertionError("no store " + kind + " in " + doc.toPrettyString());
  }

  @Test
  void dryRunPrintsTheS3DocumentAndTheAzurePolicyOfOneConfig() throws Exception {
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--dry-run", "-o", "json");
    assertThat(result.exit()).as("%s", result).isZero();
    JsonNode doc = JSON.readTree(result.out());

    Document s3 = xml(store(doc, "s3").get("document").asText());
    assertThat(s3.getDocumentElement().getLocalName()).isEqualTo("LifecycleConfiguration");
    assertThat(texts(s3, "Prefix")).as("aws.s3.prefix + the rule's prefix").containsExactly("grey/artifacts/");
    assertThat(texts(s3, "StorageClass")).containsExactly("STANDARD_IA", "GLACIER");
    assertThat(texts(s3, "Days")).containsExactly("30", "90", "365");
    assertThat(texts(s3, "Status")).containsExactly("Enabled");

    JsonNode azure = JSON.readTree(store(doc, "azure").get("document").asText());
    JsonNode rule = azure.at("/rules/0");
    assertThat(rule.get("type").asText()).isEqualTo("Lifecycle");
    assertThat(rule.get("enabled").asBoolean()).isTrue();
    assertThat(rule.at("/definition/filters/prefixMatch/0").asText()).as("artifacts_container/prefix")
        .isEqualTo("grey-artifacts/artifacts/");
    assertThat(rule.at("/definition/filters/blobTypes/0").asText()).isEqualTo("blockBlob");
    assertThat(rule.at("/definition/actions/baseBlob/tierToCool/daysAfterModificationGreaterThan").asInt())
        .isEqualTo(30);
    assertThat(rule.at("/definition/actions/baseBlob/tierToArchive/daysAfterModificationGreaterThan").asInt())
        .isEqualTo(90);
    assertThat(rule.at("/definition/actions/baseBlob/delete/daysAfterModificationGreaterThan").asInt())
        .isEqualTo(365);

    assertThat(store(doc, "local").get("result").asText()).as("the local backend has no native lifecycle")
        .contains("built-in sweeper");
    assertThat(doc.get("stores")).allSatisfy(s -> assertThat(s.get("applied").asBoolean()).isFalse());
  }

  @Test
  void dryRunForOneStorePrintsOnlyItsDocumentAndWritesItToOut() throws Exception {
    Path policy = dir.resolve("policy.json");
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "azure",
        "--dry-run", "--out", policy.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(JSON.readTree(result.out()).at("/rules/0/name").asText()).as("stdout is the policy alone")
        .isEqualTo("grey1artifacts");
    assertThat(Files.readString(policy)).as("--out holds the same document").isEqualTo(result.out());
    assertThat(result.err()).contains("# azure: Azure storage management policy JSON for section 'azure'");
  }

  @Test
  void applyAgainstS3ProxyExitsInvalidBecauseItHasNoBucketLifecycle() {
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "s3");
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.INVALID);
    assertThat(result.err()).as("a typed error naming what the server lacks, no stack trace")
        .contains("grey: s3: invalid request:")
        .contains("does not implement bucket lifecycle configuration (HTTP 501 NotImplemented)")
        .doesNotContain("\tat ");
  }

  @Test
  void applyToAzureWritesThePolicyAndSaysHowToInstallIt() throws Exception {
    Path policy = dir.resolve("policy.json");
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "azure",
        "--out", policy.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.INVALID);
    assertThat(result.err()).contains("az storage account management-policy create --account-name greyprod");
    assertThat(JSON.readTree(Files.readString(policy)).at("/rules/0/type").asText()).isEqualTo("Lifecycle");
  }

  @Test
  void applyToAllAttemptsEveryStoreAndReportsEach() {
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.INVALID);
    assertThat(result.out()).contains("local: expiration_days is applied by the built-in sweeper");
    assertThat(result.err()).contains("grey: s3: invalid request:").contains("grey: azure: invalid request:");
  }

  @Test
  void aTextDryRunKeepsStdoutToTheDocuments() throws Exception {
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "s3", "--dry-run");
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(texts(xml(result.out()), "ID")).as("stdout parses as the S3 document").containsExactly(
        "grey-1-artifacts");
    assertThat(result.err()).contains("# s3: S3 LifecycleConfiguration XML for section 'aws'");
  }

  @Test
  void theLocalStoreIsLeftToTheSweeper() {
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "local");
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).contains("transitions do not apply to the local store");
  }

  @Test
  void aStoreTheConfigDoesNotHaveOrAnUnknownKindIsAUsageError() {
    Cli.Result gcs = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "gcs", "--dry-run");
    assertThat(gcs.exit()).as("%s", gcs).isEqualTo(ExitCodes.USAGE);
    assertThat(gcs.err()).contains("no 'gcp' section");
    Cli.Result unknown = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "ftp");
    assertThat(unknown.exit()).as("%s", unknown).isEqualTo(ExitCodes.USAGE);
    Cli.Result twoOuts = Cli.run("lifecycle", "apply", "--config", config.toString(), "--dry-run", "--out",
        dir.resolve("x").toString());
    assertThat(twoOuts.exit()).as("--out with two cloud stores: %s", twoOuts).isEqualTo(ExitCodes.USAGE);
    assertThat(Files.exists(dir.resolve("x"))).as("nothing written").isFalse();
  }

  @Test
  void applyToGcsInstallsTheBucketLifecycleOnTheEmulator() throws Exception {
    try (GcsEmulator emulator = GcsEmulator.start()) {
      String bucket = emulator.newBucket();
      Path key = emulator.writeServiceAccountKey(dir.resolve("sa.json"));
      Path gcsConfig = Files.writeString(dir.resolve("gcs.yaml"), """
          server:
            data_dir: %s
          gcp:
            project_id: %s
            credentials:
              service_account_key: %s
            storage:
              bucket: %s
              endpoint: %s
          lifecycle:
            - prefix: artifacts/
              transitions:
                - days: 30
                  storage_class: INFREQUENT_ACCESS
              expiration_days: 365
          """.formatted(dir.resolve("data"), GcsEmulator.PROJECT, key, bucket, emulator.endpoint()));

      Cli.Result dryRun = Cli.run("lifecycle", "apply", "--config", gcsConfig.toString(), "--store", "gcs",
          "--dry-run");
      assertThat(dryRun.exit()).as("%s", dryRun).isZero();
      assertThat(JSON.readTree(dryRun.out()).at("/lifecycle/rule/0/action/storageClass").asText())
          .as("INFREQUENT_ACCESS is NEARLINE on GCS").isEqualTo("NEARLINE");
      assertThat(emulator.bucketResource(bucket).orElseThrow().has("lifecycle")).as("a dry run changes nothing")
          .isFalse();

      Cli.Result apply = Cli.run("lifecycle", "apply", "--config", gcsConfig.toString(), "--store", "gcs");
      assertThat(apply.exit()).as("%s", apply).isZero();
      JsonNode rules = emulator.bucketResource(bucket).orElseThrow().at("/lifecycle/rule");
      assertThat(rules.get(0).at("/condition/age").asInt()).as("the transition reached the bucket").isEqualTo(30);
      assertThat(rules.get(1).at("/action/type").asText()).as("then the expiry").isEqualTo("Delete");
      assertThat(rules.get(1).at("/condition/age").asInt()).isEqualTo(365);
    }
  }

  @Test
  void aStorageClassACloudLacksFailsThatStoreWithExitInvalid() throws Exception {
    Files.writeString(config, Files.readString(config).replace("ARCHIVE", "NEARLINE"));
    Cli.Result result = Cli.run("lifecycle", "apply", "--config", config.toString(), "--store", "s3", "--dry-run");
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.INVALID);
    assertThat(result.err()).contains("'NEARLINE' has no S3 equivalent");
    assertThat(result.out()).as("no document for a store whose rules do not translate").isEmpty();
  }
}
