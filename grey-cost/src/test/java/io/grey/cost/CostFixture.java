package io.grey.cost;

import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import java.nio.file.Path;
import java.util.Map;

/** Builds configurations for cost tests. */
final class CostFixture {
  private CostFixture() {}

  /** A config with data under {@code dir}, the local backend and {@code costYaml} as the cost section body. */
  static GreyConfig config(Path dir, String costYaml) {
    String yaml = "server:\n  data_dir: " + dir.resolve("data") + "\n"
        + (costYaml.isBlank() ? "" : "cost:\n" + costYaml.stripTrailing().indent(2));
    return ConfigLoader.parse(yaml, "grey.yaml", Map.of(), dir);
  }
}
