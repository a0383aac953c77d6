package io.grey.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogTest {
  @TempDir
  Path dir;

  @Test
  void theBuiltInCatalogHasEveryRequiredClassWithItsSourceAndDate() {
    PriceCatalog catalog = PriceCatalog.defaults();
    List<String> classes = catalog.rows().stream().map(r -> r.cloud() + "/" + r.storageClass()).toList();
    assertThat(classes).as("S3, GCS, Azure Blob and local disk classes").containsExactlyInAnyOrder(
        "aws/STANDARD", "aws/STANDARD_IA", "aws/GLACIER", "gcp/STANDARD", "gcp/NEARLINE", "gcp/COLDLINE",
        "gcp/ARCHIVE", "azure/HOT", "azure/COOL", "azure/ARCHIVE", "local/STANDARD");
    assertThat(catalog.rows()).as("every row names its source and an ISO date")
        .allSatisfy(r -> {
          assertThat(r.source()).isNotBlank();
          assertThat(r.date()).matches("\\d{4}-\\d{2}-\\d{2}");
        });
    assertThat(catalog.find("aws", "standard", "us-east-1").orElseThrow().storageGbMonth())
        .as("prices are exact decimals").isEqualByComparingTo("0.023");
  }

  @Test
  void anOverrideReplacesOnlyThePricesItSets() {
    var config = CostFixture.config(dir, """
        prices:
          - cloud: aws
            storage_class: STANDARD
            storage_gb_month: 0.021
            source: negotiated contract 2026
            date: 2026-10-01
        """);
    PriceRow row = CostConfig.of(config).priceCatalog().find("aws", "STANDARD", "us-east-1").orElseThrow();
    assertThat(row.storageGbMonth()).as("the overridden price").isEqualByComparingTo("0.021");
    assertThat(row.egressGb()).as("the other prices are kept").isEqualByComparingTo("0.09");
    assertThat(row.source()).isEqualTo("negotiated contract 2026");
  }

  @Test
  void aNewRowMustSetEveryPrice() {
    var config = CostFixture.config(dir, """
        prices:
          - cloud: onprem
            region: dc1
            storage_class: HDD
            storage_gb_month: 0.005
            source: finance
            date: 2026-10-01
        """);
    assertThatThrownBy(() -> CostConfig.of(config).priceCatalog()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("onprem/HDD").hasMessageContaining("write_per_1000");
  }

  @Test
  void anUnknownKeyInTheCostSectionIsRefusedWithItsLine() {
    var config = CostFixture.config(dir, "enabled: true\nbudgett: []\n");
    assertThatThrownBy(() -> CostConfig.of(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("grey.yaml:").hasMessageContaining("cost.budgett");
  }

  @Test
  void aCatalogFileReplacesTheBuiltInOne() throws Exception {
    Files.writeString(dir.resolve("prices.yaml"), """
        prices:
          - {cloud: local, region: local, storage_class: STANDARD, storage_gb_month: 0.5, write_per_1000: 0,
             read_per_1000: 0, list_per_1000: 0, delete_per_1000: 0, retrieval_gb: 0, egress_gb: 0,
             inter_region_gb: 0, inter_cloud_gb: 0, source: own, date: 2026-01-01}
        """);
    var config = CostFixture.config(dir, "catalog: prices.yaml\n");
    PriceCatalog catalog = CostConfig.of(config).priceCatalog();
    assertThat(catalog.rows()).hasSize(1);
    assertThat(catalog.rows().getFirst().storageGbMonth()).isEqualTo(new BigDecimal("0.5"));
  }

  @Test
  void aBudgetInAnotherCurrencyIsRefused() {
    var config = CostFixture.config(dir, """
        budgets:
          - {name: monthly, amount: 100, currency: EUR, alerts: [50, 100]}
        """);
    assertThatThrownBy(() -> CostConfig.of(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("EUR");
  }
}
