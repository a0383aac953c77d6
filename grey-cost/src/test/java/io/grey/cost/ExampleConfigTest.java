package io.grey.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {
  @Test
  void theCostSectionOfTheExampleConfigurationIsValid() {
    var config = ConfigLoader.load(Path.of("../docs/grey.example.yaml"), Map.of());
    CostConfig cost = CostConfig.of(config);
    assertThat(cost.budgets()).extracting(BudgetConfig::name).containsExactly("grey-monthly");
    assertThat(cost.budgets().getFirst().alerts()).containsExactly(50, 80, 100);
    assertThat(cost.priceCatalog().find("local", "STANDARD", "local").orElseThrow().source())
        .isEqualTo("own disk estimate");
    assertThat(cost.stores()).extracting(StoreBinding::cloud).containsExactly("local");
  }
}
