package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.StoreUnavailableException;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping a node. */
class StartupTest {
  @TempDir Path first;
  @TempDir Path second;

  @Test
  void secondNodeOnATakenPortFailsWithStoreUnavailable() {
    try (GreyServer node = GreyServer.start(TestNodes.config(first))) {
      GreyConfig base = TestNodes.config(second);
      ServerConfig server = base.server();
      GreyConfig taken = new GreyConfig(
          new ServerConfig(server.host(), node.port(), server.dataDir(), "", server.maxPresignTtl(),
              server.lifecycleSweepInterval()),
          base.auth(), base.storage(), base.lifecycle(), base.retry(), base.monitoring(), base.audit(),
          base.environment());
      assertThatThrownBy(() -> GreyServer.start(taken)).as("binding a port already in use")
          .isInstanceOf(StoreUnavailableException.class);
    }
  }

  @Test
  void closeIsIdempotentAndReleasesAwaitShutdown() {
    GreyServer node = GreyServer.start(TestNodes.config(first));
    node.close();
    node.close();
    node.awaitShutdown();
    assertThat(node.baseUri().toString()).as("the base URI names the bound port").endsWith(":" + node.port());
  }
}
