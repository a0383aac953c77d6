package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidateTest {
  private static final String VALID = """
      server:
        host: 127.0.0.1
        port: 8080
        data_dir: ./grey-data
      lifecycle:
        - prefix: artifacts/
          expiration_days: 365
      environment: production
      """;

  @TempDir
  Path work;

  @Test
  void validFileIsOk() throws IOException {
    Path file = Files.writeString(work.resolve("grey.yaml"), VALID);
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).startsWith("ok: " + file + "\nbackend: local (storage.local) directory "
        + work.resolve("grey-data/objects"));
    assertThat(result.out()).contains("  credentials: none (local files)");
  }

  @Test
  void anAwsSectionPrintsTheBucketAndTheCredentialSource() throws IOException {
    Path file = Files.writeString(work.resolve("aws.yaml"), VALID + """
        storage:
          backend: s3
        aws:
          region: eu-west-1
          credentials:
            use_instance_profile: true
          s3:
            bucket: grey-artifacts-prod
            prefix: grey/
        """);
    Cli.Result result = Cli.run(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret-value",
        "HOME", work.toString()), "config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).isEqualTo("ok: " + file + "\n"
        + "backend: s3 (aws.s3) bucket grey-artifacts-prod in eu-west-1, prefix grey/, AWS endpoint,"
        + " object tagging on\n"
        + "  credentials: SDK default chain (env AWS_ACCESS_KEY_ID set)\n");
    assertThat(result.out() + result.err()).as("no credential value is printed")
        .doesNotContain("AKIDEXAMPLE").doesNotContain("secret-value");
  }

  @Test
  void aCloudSectionBesideTheBackendIsDescribedToo() throws IOException {
    Path file = Files.writeString(work.resolve("azure.yaml"), VALID + """
        azure:
          blob_storage:
            account_name: greystorage
            account_key: c2VjcmV0LWtleQ==
        """);
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).contains("backend: local (storage.local)")
        .contains("also configured: azure (azure.blob_storage) account greystorage, containers"
            + " artifacts/proofs/state\n  credentials: account key from config\n")
        .doesNotContain("c2VjcmV0LWtleQ==");
  }

  @Test
  void aMisspeltAwsKeyExitsTwoNamingItsLine() throws IOException {
    Path file = Files.writeString(work.resolve("typo.yaml"), """
        aws:
          region: eu-west-1
          s3:
            bucket: grey-artifacts-prod
            storage_clas: STANDARD_IA
        """);
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as("file, line 5, column 5 and the key path")
        .startsWith("grey: config error: " + file + ":5:5: unknown key 'aws.s3.storage_clas'");
  }

  @Test
  void aGcpSectionIsCheckedByTheShippedGcsModuleAndNamesItsCredentialSource() throws IOException {
    Path file = Files.writeString(work.resolve("gcp.yaml"), VALID
        + "gcp:\n  project_id: grey-prod\n  storage:\n    bucket: grey-artifacts-prod\n");
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).as("the gcs store and where its credentials would come from")
        .contains("gcs").contains("grey-artifacts-prod").containsIgnoringCase("credential");
  }

  @Test
  void aGcpSectionWithoutABucketExitsTwoNamingTheKey() throws IOException {
    Path file = Files.writeString(work.resolve("gcp.yaml"), VALID + "gcp:\n  project_id: grey-prod\n");
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as("the missing key's path").contains("gcp.storage");
  }

  @Test
  void unknownKeyExitsTwoNamingTheLine() throws IOException {
    Path file = Files.writeString(work.resolve("bad.yaml"), VALID.replace("  port: 8080", "  prot: 8080"));
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as("the message names the file, the line and the key")
        .startsWith("grey: config error").contains("bad.yaml").contains("3").contains("prot");
    assertThat(result.out()).as("nothing on stdout in table mode").isEmpty();
  }

  @Test
  void jsonOutputSaysWhetherTheFileIsValid() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path good = Files.writeString(work.resolve("good.yaml"), VALID);
    Path bad = Files.writeString(work.resolve("bad.yaml"), VALID + "bogus_key: 1\n");
    JsonNode ok = json.readTree(Cli.run("config", "validate", good.toString(), "-o", "json").out());
    assertThat(ok.path("valid").asBoolean()).isTrue();
    assertThat(ok.path("stores").path(0).path("kind").asText()).isEqualTo("local");
    assertThat(ok.path("stores").path(0).path("backend").asBoolean()).isTrue();
    assertThat(ok.path("stores").path(0).path("credentials").asText()).isEqualTo("none (local files)");
    Cli.Result failed = Cli.run("config", "validate", bad.toString(), "-o", "json");
    assertThat(failed.exit()).isEqualTo(ExitCodes.USAGE);
    JsonNode doc = json.readTree(failed.out());
    assertThat(doc.path("valid").asBoolean(true)).isFalse();
    assertThat(doc.path("error").asText()).contains("bogus_key");
  }
}
