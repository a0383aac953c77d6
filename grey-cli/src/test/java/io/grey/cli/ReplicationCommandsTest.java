package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.PutOptions;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grey replication ...} and {@code grey stores status} offline over two local stores. */
class ReplicationCommandsTest {
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/t1/a.bin");

  @TempDir Path work;
  private Path config;

  @BeforeEach
  void writeConfig() throws IOException {
    config = Files.writeString(work.resolve("grey.yaml"), """
        server:
          data_dir: %s
        storage:
          local:
            root: %s
        multi_cloud:
          primary: local
          secondary: edge-a
          stores:
            edge-a: {backend: local, root: %s}
        """.formatted(work.resolve("data"), work.resolve("primary"), work.resolve("edge-a")));
    try (LocalStore primary = LocalStore.open(LocalStoreOptions.of(work.resolve("primary")))) {
      byte[] body = "only on the primary".getBytes(StandardCharsets.UTF_8);
      primary.put(KEY, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
    }
  }

  @Test
  void verifyFindsTheMissingReplicaRepairFixesItAndVerifyThenAgrees() {
    Cli.Result verify = Cli.run("replication", "verify", "-c", config.toString(), "--prefix", "artifacts/");
    assertThat(verify.exit()).as("verify with a difference: %s", verify).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(verify.out()).as("the differing key is printed").contains(KEY.value()).contains("(absent)");

    Cli.Result repair = Cli.run("replication", "repair", "-c", config.toString());
    assertThat(repair.exit()).as("repair: %s", repair).isEqualTo(ExitCodes.OK);
    assertThat(repair.out()).as("repaired from the primary").contains("local");
    assertThat(work.resolve("edge-a")).as("the replica directory").exists();

    Cli.Result again = Cli.run("replication", "verify", "-c", config.toString(), "-o", "json");
    assertThat(again.exit()).as("verify after repair: %s", again).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).as("no differences").contains("\"differences\" : [ ]");
  }

  @Test
  void statusListsEveryTargetAndRetryReportsHowManyWereRequeued() {
    Cli.Result status = Cli.run("replication", "status", "-c", config.toString());
    assertThat(status.exit()).as("status: %s", status).isEqualTo(ExitCodes.OK);
    assertThat(status.out()).as("a row per target").contains("TARGET").contains("local").contains("edge-a");
    Cli.Result retry = Cli.run("replication", "retry", "-c", config.toString(), "--target", "edge-a");
    assertThat(retry.exit()).as("retry: %s", retry).isEqualTo(ExitCodes.OK);
    assertThat(retry.out()).as("nothing was dead").contains("re-queued 0 dead letters");
    Cli.Result unknown = Cli.run("replication", "retry", "-c", config.toString(), "--target", "nowhere");
    assertThat(unknown.exit()).as("retry of an unknown target: %s", unknown).isEqualTo(ExitCodes.INVALID);
  }

  @Test
  void storesStatusProbesEveryStoreAndShowsItUp() {
    Cli.Result status = Cli.run("stores", "status", "-c", config.toString(), "--probes", "3");
    assertThat(status.exit()).as("stores status: %s", status).isEqualTo(ExitCodes.OK);
    assertThat(status.out()).as("both stores up").containsPattern("local\\s+up").containsPattern("edge-a\\s+up");
  }

  @Test
  void aConfigWithoutAMultiCloudSectionIsAUsageError() throws IOException {
    Path plain = Files.writeString(work.resolve("plain.yaml"), "server:\n  data_dir: " + work.resolve("d") + "\n");
    Cli.Result status = Cli.run("replication", "status", "-c", plain.toString());
    assertThat(status.exit()).as("no multi_cloud section: %s", status).isEqualTo(ExitCodes.USAGE);
    assertThat(status.err()).as("the message names the section").contains("multi_cloud");
  }
}
