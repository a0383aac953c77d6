package io.grey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import io.grey.core.ProviderNotAvailableException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The loader keeps the backend-owned sections for their modules and, with no backend module on grey-core's class
 * path, refuses each of them naming the line and the module to add.
 */
class ProviderSectionsTest {

  private static GreyConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of());
  }

  @Test
  void anAwsSectionWithoutTheS3ModuleNamesItsLineAndTheModule() {
    String yaml = """
        server:
          port: 8080
        aws:
          region: us-east-1
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ProviderNotAvailableException.class)
        .hasMessage("grey.yaml:3:1: aws: provider 's3' not available: add grey-store-s3");
  }

  @Test
  void aGcpSectionWithoutTheGcsModuleIsRefused() {
    assertThatThrownBy(() -> parse("gcp:\n  project_id: p\n")).isInstanceOf(ProviderNotAvailableException.class)
        .hasMessage("grey.yaml:1:1: gcp: provider 'gcs' not available: add grey-store-gcs");
  }

  @Test
  void aCloudBackendWithoutItsSectionIsRefusedAtTheBackendKey() {
    String yaml = """
        storage:
          backend: azure
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:3: storage.backend: 'azure' reads its settings from an 'azure' section,"
            + " which this file does not have");
  }

  @Test
  void anUnknownBackendListsTheKnownOnes() {
    assertThatThrownBy(() -> parse("storage:\n  backend: ftp\n")).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:12: storage.backend: 'ftp' must be one of local, s3, azure, gcs");
  }

  @Test
  void theBackendDefaultsToLocal() {
    assertThat(parse("server:\n  port: 1\n").storage().backend()).isEqualTo("local");
    assertThat(GreyConfig.defaults().storage().backend()).isEqualTo("local");
  }

  @Test
  void aFileWithoutBackendSectionsKeepsNone() {
    assertThat(parse("environment: test\n").providerSections()).isEmpty();
  }

  @Test
  void anUnknownTopLevelKeyStillFailsAndListsTheBackendSections() {
    assertThatThrownBy(() -> parse("amazon:\n  region: x\n")).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:1:1: unknown key 'amazon' (known: server, auth, storage, lifecycle, retry,"
            + " monitoring, audit, aws, azure, gcp, multi_cloud, cost, environment)");
  }
}
