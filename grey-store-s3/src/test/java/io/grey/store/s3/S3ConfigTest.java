package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3ConfigTest {
  private static final S3Config BASE = S3Config.of("grey-artifacts", "us-east-1");

  @Test
  void defaultsFollowTheDocumentedValues() {
    assertThat(BASE.multipartThreshold()).as("multipart_threshold").isEqualTo(16L << 20);
    assertThat(BASE.partSize()).as("part_size").isEqualTo(8L << 20);
    assertThat(BASE.maxParallelParts()).as("max_parallel_parts").isEqualTo(4);
    assertThat(BASE.presignMaxTtl()).as("presign_max_ttl").isEqualTo(Duration.ofDays(7));
    assertThat(BASE.credentials()).as("credentials").isEqualTo(S3Credentials.defaultChain());
    assertThat(BASE.endpointUri()).as("endpoint").isEmpty();
  }

  @Test
  void partSizeBelowFiveMebibytesIsAConfigErrorNamingTheKey() {
    assertThatThrownBy(() -> BASE.withMultipart(16L << 20, 4L << 20, 4)).as("4 MiB parts")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.part_size");
  }

  @Test
  void thresholdBelowFiveMebibytesIsAConfigError() {
    assertThatThrownBy(() -> BASE.withMultipart(1L << 20, 8L << 20, 4)).as("1 MiB threshold")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.multipart_threshold");
  }

  @Test
  void zeroPartsInFlightIsAConfigError() {
    assertThatThrownBy(() -> BASE.withMultipart(16L << 20, 8L << 20, 0)).as("no parts in flight")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.max_parallel_parts");
  }

  @Test
  void bucketNameWithUpperCaseIsAConfigError() {
    assertThatThrownBy(() -> S3Config.of("Grey_Artifacts", "us-east-1")).as("bucket Grey_Artifacts")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.bucket");
  }

  @Test
  void endpointThatIsNotAnHttpUrlIsAConfigError() {
    assertThatThrownBy(() -> BASE.withEndpoint("ftp://example.com", true)).as("ftp endpoint")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.endpoint");
  }

  @Test
  void presignLimitAboveSevenDaysIsAConfigError() {
    assertThatThrownBy(() -> BASE.withPresignMaxTtl(Duration.ofDays(8))).as("8-day presign limit")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.presign_max_ttl");
  }

  @Test
  void emptySecretIsAConfigError() {
    assertThatThrownBy(() -> S3Credentials.of("AKIDEXAMPLE", "")).as("empty secret")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.credentials.secret_access_key");
  }

  @Test
  void printedConfigurationDoesNotShowTheSecret() {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    S3Config config = BASE.withCredentials(S3Credentials.of("AKIDEXAMPLE", secret));

    assertThat(config.toString()).as("toString of a config with a key pair").doesNotContain(secret)
        .contains("<redacted>");
  }

  @Test
  void prefixStartingWithSlashIsAConfigError() {
    assertThatThrownBy(() -> BASE.withPrefix("/grey/")).as("prefix /grey/")
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.s3.prefix");
  }
}
