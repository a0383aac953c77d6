package io.grey.server;

import io.grey.testkit.MutableClock;
import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grey.core.config.GreyConfig;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node runs its lifecycle rules on schedule against the served store. */
class LifecycleScheduleTest {
  @TempDir Path dataDir;

  @Test
  void expiredArtifactsAreSweptOnScheduleAndOthersKept() {
    GreyConfig base = TestNodes.config(dataDir);
    ServerConfig server = base.server();
    GreyConfig config = new GreyConfig(
        new ServerConfig(server.host(), 0, server.dataDir(), "", server.maxPresignTtl(), Duration.ofMillis(50)),
        base.auth(), base.storage(),
        List.of(new LifecycleRuleConfig("artifacts/acme/scratch/", 1, List.of())),
        base.retry(), base.monitoring(), base.audit(), base.environment());
    MutableClock clock = new MutableClock(Instant.now());
    try (GreyServer node = GreyServer.start(config, clock)) {
      put(node, "/v1/artifacts/acme/scratch/tmp.bin", TOKEN_A, "temporary");
      put(node, "/v1/artifacts/acme/release/keep.bin", TOKEN_A, "kept");
      clock.advance(Duration.ofDays(2));
      await().atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(get(node, "/v1/artifacts/acme/scratch/tmp.bin", TOKEN_A).statusCode())
              .as("the expired artifact under the rule's prefix is swept").isEqualTo(404));
      assertThat(get(node, "/v1/artifacts/acme/release/keep.bin", TOKEN_A).body())
          .as("an artifact outside the rule's prefix is kept").isEqualTo("kept");
    }
  }
}
