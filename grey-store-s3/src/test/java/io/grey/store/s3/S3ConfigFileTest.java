package io.grey.store.s3;

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

/** The {@code aws} section of a config file, read by the s3 provider, with errors at their exact lines. */
class S3ConfigFileTest {
  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

  @TempDir
  Path dir;

  private GreyConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dir);
  }

  private S3Config read(String yaml) {
    return S3Config.read(parse(yaml).providerSection("aws").orElseThrow(), dir.resolve("spill"));
  }

  @Test
  void everyKeyOfTheAwsSectionMapsOntoTheConfigRecord() {
    S3Config config = read("""
        aws:
          region: eu-west-1
          credentials:
            access_key_id: AKIDEXAMPLE
            secret_access_key: %s
          s3:
            bucket: grey-artifacts-prod
            prefix: grey/
            endpoint: http://127.0.0.1:9000
            force_path_style: true
            storage_class: STANDARD_IA
            multipart_threshold: 32MiB
            part_size: 16MiB
            max_parallel_parts: 8
            presign_max_ttl: 1h
            tags: false
            spill_dir: staging
            encryption:
              type: aws:kms
              kms_key_id: alias/grey-key
              bucket_key: true
        """.formatted(SECRET));
    assertThat(config).isEqualTo(new S3Config("aws", "grey-artifacts-prod", "grey/", "eu-west-1",
        "http://127.0.0.1:9000", true, "STANDARD_IA", 32L << 20, 16L << 20, 8, Duration.ofHours(1),
        S3Credentials.of("AKIDEXAMPLE", SECRET), dir.resolve("staging"), false,
        new S3Encryption("aws:kms", "alias/grey-key", true)));
  }

  @Test
  void omittedKeysTakeTheDefaultsWithTaggingOnAndTheSdkChain() {
    S3Config config = read("""
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
        """);
    assertThat(config).as("defaults of S3Config.of, spilling under the given directory")
        .isEqualTo(S3Config.of("grey-artifacts", "us-east-1").withSpillDir(dir.resolve("spill")));
  }

  @Test
  void theBucketsOwnRegionWinsOverTheAwsRegion() {
    assertThat(read("aws:\n  region: us-east-1\n  s3:\n    bucket: b-1x\n    region: ap-south-1\n").region())
        .isEqualTo("ap-south-1");
  }

  @Test
  void aMisspeltKeyIsRefusedAtItsLine() {
    String yaml = """
        server:
          port: 8080
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
            storage_clas: GLACIER
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:7:5: unknown key 'aws.s3.storage_clas' (known: replication, lifecycle,"
            + " access_logging, bucket, prefix, region, endpoint,");
  }

  @Test
  void aMisspeltCredentialsKeyIsRefusedAtItsLine() {
    String yaml = """
        aws:
          region: us-east-1
          credentials:
            use_instance_profil: true
          s3:
            bucket: grey-artifacts
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:5: unknown key 'aws.credentials.use_instance_profil'");
  }

  @Test
  void anInvalidBucketNameIsReportedAtItsValue() {
    String yaml = """
        aws:
          region: us-east-1
          s3:
            bucket: Grey_Artifacts
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:13: aws.s3.bucket 'Grey_Artifacts' must be 3-63 characters");
  }

  @Test
  void aPartSizeThatIsNotASizeIsRefusedAtItsValue() {
    String yaml = """
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
            part_size: big
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:5:16: aws.s3.part_size: expected a size in bytes like 8388608 or 8MiB, got 'big'");
  }

  @Test
  void aMissingBucketIsNamed() {
    assertThatThrownBy(() -> parse("aws:\n  region: us-east-1\n  s3:\n    prefix: x/\n"))
        .isInstanceOf(ConfigException.class).hasMessage("grey.yaml:4:5: aws.s3: missing key 'bucket'");
  }

  @Test
  void aMissingRegionSaysWhereToSetIt() {
    assertThatThrownBy(() -> parse("aws:\n  s3:\n    bucket: grey-artifacts\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:5: aws.s3.region: not set: give aws.region or aws.s3.region");
  }

  @Test
  void anAwsSectionWithoutS3IsRefused() {
    assertThatThrownBy(() -> parse("aws:\n  region: us-east-1\n")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:2:3: aws.s3: missing");
  }

  @Test
  void featuresGreyDoesNotImplementAreRefusedNamingTheKey() {
    String yaml = """
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
            replication:
              enabled: true
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:5:5: aws.s3.replication: not supported by Grey");
    assertThatThrownBy(() -> parse("aws:\n  region: us-east-1\n  eks:\n    cluster_name: x\n  s3:\n    bucket: b-1x\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:3:3: aws.eks: not supported by Grey");
    assertThatThrownBy(() -> parse("aws:\n  dynamodb:\n    enabled: false\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("grey.yaml:2:3: aws.dynamodb: not supported");
  }

  @Test
  void anInstanceProfileTogetherWithAKeyPairIsRefused() {
    String yaml = """
        aws:
          region: us-east-1
          credentials:
            use_instance_profile: true
            access_key_id: AKIDEXAMPLE
            secret_access_key: %s
          s3:
            bucket: grey-artifacts
        """.formatted(SECRET);
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:27: aws.credentials.use_instance_profile: give")
        .message().doesNotContain(SECRET).doesNotContain("AKIDEXAMPLE");
  }

  @Test
  void aKeyIdWithoutASecretIsRefusedWithoutShowingTheKeyId() {
    String yaml =
        "aws:\n  region: us-east-1\n  credentials:\n    access_key_id: AKIDEXAMPLE\n  s3:\n    bucket: b-1x\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:4:5: aws.credentials.secret_access_key must not be empty when an access key id is"
            + " given");
  }

  @Test
  void theDescriptionNamesTheCredentialSourceButNeverTheKeys() {
    GreyConfig config = parse("""
        aws:
          region: us-east-1
          credentials:
            access_key_id: AKIDEXAMPLE
            secret_access_key: %s
          s3:
            bucket: grey-artifacts
        """.formatted(SECRET));
    StoreDescription description = BlobStores.describe("s3", StoreContext.of(config, Map.of()));
    assertThat(description.credentials()).isEqualTo("explicit access key from config");
    assertThat(description.target()).isEqualTo("bucket grey-artifacts in us-east-1, AWS endpoint, object tagging on");
    assertThat(description.toString() + config.providerSection("aws").orElseThrow()
        + S3Config.read(config.providerSection("aws").orElseThrow(), dir))
        .as("neither the secret nor the key id appears in descriptions or toString")
        .doesNotContain(SECRET).doesNotContain("AKIDEXAMPLE");
  }

  @Test
  void theSdkChainIsDescribedByTheLinkThatWouldAnswer() {
    Path emptyHome = dir.resolve("home");
    S3Credentials chain = S3Credentials.defaultChain();
    assertThat(S3StoreProvider.credentialSource(chain, Map.of("AWS_ACCESS_KEY_ID", "x", "HOME", emptyHome.toString())))
        .isEqualTo("SDK default chain (env AWS_ACCESS_KEY_ID set)");
    assertThat(S3StoreProvider.credentialSource(chain, Map.of("HOME", emptyHome.toString())))
        .startsWith("SDK default chain (instance profile from the EC2 metadata service");
    assertThat(S3StoreProvider.credentialSource(chain, Map.of("HOME", emptyHome.toString(),
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials")))
        .isEqualTo("SDK default chain (container credentials endpoint, env AWS_CONTAINER_CREDENTIALS_*_URI set)");
  }

  @Test
  void aProfileInTheSharedCredentialsFileIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("credentials"), "[ci]\naws_access_key_id = x\n");
    assertThat(S3StoreProvider.credentialSource(S3Credentials.defaultChain(),
        Map.of("AWS_PROFILE", "ci", "AWS_SHARED_CREDENTIALS_FILE", file.toString(), "HOME", dir.toString())))
        .isEqualTo("SDK default chain (profile 'ci' in " + file + ")");
  }

  @Test
  void theS3KindIsFoundThroughTheServiceLoader() {
    assertThat(BlobStores.provider("s3")).isInstanceOf(S3StoreProvider.class);
  }
  @Test
  void theCommentedAwsExampleOfTheDocsIsAValidSection() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../docs/grey.example.yaml"));
    StringBuilder yaml = new StringBuilder();
    for (int i = lines.indexOf("# aws:"); i >= 0 && i < lines.size() && lines.get(i).startsWith("# "); i++) {
      yaml.append(lines.get(i).substring(2)).append('\n');
    }
    assertThat(yaml).as("docs/grey.example.yaml has a commented aws section").startsWith("aws:\n");
    S3Config config = read(yaml.toString());
    assertThat(config.bucket()).isEqualTo("grey-artifacts-prod");
    assertThat(config.credentials()).isEqualTo(S3Credentials.defaultChain());
    assertThat(config.tags()).isTrue();
    assertThat(config.encryption()).as("the example's SSE-KMS block").isEqualTo(S3Encryption.kms("alias/grey-key"));
  }

  @Test
  void anEncryptionTypeOtherThanKmsOrAes256IsRefusedAtItsValue() {
    String yaml = """
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
            encryption:
              type: aws:kms:dsse
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.s3.encryption.type 'aws:kms:dsse' must be aws:kms (SSE-KMS) or AES256 (SSE-S3)");
  }

  @Test
  void aKmsKeyWithSseS3IsRefusedBecauseS3WouldIgnoreIt() {
    String yaml = """
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
            encryption:
              type: AES256
              kms_key_id: alias/grey-key
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.s3.encryption.kms_key_id is only used with type aws:kms, not AES256");
  }

  @Test
  void theDescriptionNamesTheKmsKey() {
    GreyConfig config = parse("""
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
            encryption:
              type: aws:kms
              kms_key_id: alias/grey-key
        """);
    assertThat(BlobStores.describe("s3", StoreContext.of(config, Map.of())).target())
        .isEqualTo("bucket grey-artifacts in us-east-1, AWS endpoint, object tagging on, SSE-KMS with key alias/grey-key");
  }
}
