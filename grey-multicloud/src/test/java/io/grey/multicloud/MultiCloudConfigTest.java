package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import io.grey.core.DataClass;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi_cloud section read from YAML in the seeds' shape. */
class MultiCloudConfigTest {
  @TempDir Path dir;

  private MultiCloudConfig read(String yaml) throws Exception {
    Path file = dir.resolve("grey.yaml");
    Files.writeString(file, yaml);
    GreyConfig config = ConfigLoader.load(file, Map.of());
    return MultiCloudConfig.read(config.providerSection("multi_cloud").orElseThrow(), "node-1");
  }

  @Test
  void theSeedsShapeIsReadOneToOne() throws Exception {
    MultiCloudConfig c = read("""
        multi_cloud:
          primary: local
          secondary: edge-a
          tertiary: edge-b
          stores:
            edge-a: {backend: local, root: ./edge-a}
            edge-b:
              backend: local
              root: ./edge-b
          routing:
            strategy: latency_based
            fallback: round_robin
            health_check_interval: 30s
            weights: {local: 3, edge-a: 1}
          replication:
            proofs:
              strategy: sync
              targets: [local, edge-a, edge-b]
            artifacts:
              strategy: async
              targets: [local, edge-a]
              lag_tolerance: 5m
            state:
              strategy: primary_only
            max_attempts: 7
        """);
    assertThat(c.storeNames()).as("stores in failover order").containsExactly("local", "edge-a", "edge-b");
    assertThat(c.stores().get("edge-a").root()).as("a declared store's root resolves against the file")
        .contains(dir.resolve("edge-a").toAbsolutePath().normalize());
    assertThat(c.routing().strategy()).isEqualTo(MultiCloudConfig.Strategy.LATENCY_BASED);
    assertThat(c.routing().fallback()).isEqualTo(MultiCloudConfig.Strategy.ROUND_ROBIN);
    assertThat(c.routing().healthCheckInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.routing().weights()).containsEntry("local", 3);
    assertThat(c.policy(DataClass.PROOF).strategy()).isEqualTo(MultiCloudConfig.Mode.SYNC);
    assertThat(c.writeOrder(DataClass.ARTIFACT)).as("artifact targets").containsExactly("local", "edge-a");
    assertThat(c.policy(DataClass.ARTIFACT).lagTolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.writeOrder(DataClass.STATE)).as("state on the primary only").isEqualTo(List.of("local"));
    assertThat(c.replication().maxAttempts()).isEqualTo(7);
    assertThat(c.node()).as("node defaults to the given name").isEqualTo("node-1");
  }

  @Test
  void aTargetThatNamesNoStoreIsRefusedWithItsLine() {
    assertThatThrownBy(() -> read("""
        multi_cloud:
          primary: local
          replication:
            artifacts:
              strategy: async
              targets: [local, nowhere]
        """)).as("a target naming an unknown store").isInstanceOf(ConfigException.class)
        .hasMessageContaining("nowhere").hasMessageContaining("grey.yaml:");
  }

  @Test
  void anUnknownKeyIsRefused() {
    assertThatThrownBy(() -> read("""
        multi_cloud:
          primary: local
          routing:
            stratgy: round_robin
        """)).as("a misspelt routing key").isInstanceOf(ConfigException.class)
        .hasMessageContaining("multi_cloud.routing.stratgy");
  }

  @Test
  void anUnknownStrategyNamesTheAllowedOnes() {
    assertThatThrownBy(() -> read("""
        multi_cloud:
          primary: local
          replication:
            proofs: {strategy: eventually}
        """)).as("an unknown replication strategy").isInstanceOf(ConfigException.class)
        .hasMessageContaining("sync, async, primary_only");
  }
}
