package io.grey.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ProviderNotAvailableException;
import io.grey.core.config.GreyConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** grey-core's own class path has no backend module, so every lookup reports the module to add. */
class BlobStoresTest {

  @Test
  void noProviderIsFoundWithoutItsModule() {
    assertThat(BlobStores.find("s3")).as("grey-store-s3 is not a dependency of grey-core").isEmpty();
    assertThat(BlobStores.find("local")).as("grey-store-local is not a dependency of grey-core").isEmpty();
  }

  @Test
  void aMissingProviderNamesTheModuleToAdd() {
    assertThatThrownBy(() -> BlobStores.provider("gcs"))
        .isInstanceOf(ProviderNotAvailableException.class)
        .hasMessage("provider 'gcs' not available: add grey-store-gcs");
  }

  @Test
  void openingTheDefaultBackendWithoutTheLocalModuleSaysSo() {
    StoreContext context = StoreContext.of(GreyConfig.defaults(), Map.of());
    assertThatThrownBy(() -> BlobStores.open("local", context))
        .isInstanceOf(ProviderNotAvailableException.class)
        .hasMessage("provider 'local' not available: add grey-store-local");
  }

  @Test
  void eachBackendSectionIsReadByOneKind() {
    assertThat(BlobStores.kindReading("aws")).isEqualTo("s3");
    assertThat(BlobStores.kindReading("azure")).isEqualTo("azure");
    assertThat(BlobStores.kindReading("gcp")).isEqualTo("gcs");
    assertThat(BlobStores.sectionOf("s3")).isEqualTo("aws");
  }

  @Test
  void theContextOfAnUnboundNodeUsesThePublicUrlOrHostAndPort() {
    GreyConfig config = GreyConfig.defaults();
    assertThat(StoreContext.of(config, Map.of()).publicBaseUrl().toString()).isEqualTo("http://127.0.0.1:8080");
    assertThat(StoreContext.of(config.withServer(new io.grey.core.config.ServerConfig("0.0.0.0", 9000,
            config.server().dataDir(), "https://grey.example.com/", config.server().maxPresignTtl(),
            config.server().lifecycleSweepInterval())), Map.of()).publicBaseUrl().toString())
        .as("the public URL without its trailing slash").isEqualTo("https://grey.example.com");
  }
}
