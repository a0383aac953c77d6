package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.config.GreyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grey keys list} and {@code grey keys rotate} on the keyring of {@code storage.encryption}. */
class KeysCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UnaryOperator<GreyConfig> ENCRYPTED = config -> config.withStorage(
      config.storage().withEncryption(config.storage().encryption().withEnabled(true)));

  @TempDir
  Path dir;
  private Path config;
  private Path keyring;

  @BeforeEach
  void writeConfig() throws Exception {
    keyring = dir.resolve("data/keyring");
    config = Files.writeString(dir.resolve("grey.yaml"), """
        server:
          data_dir: data
        storage:
          encryption:
            enabled: true
        """);
  }

  @Test
  void rotateCreatesTheKeyringThenAddsACurrentKeyAndListShowsBoth() throws Exception {
    Cli.Result created = Cli.run("keys", "rotate", "--config", config.toString(), "-o", "json");
    assertThat(created.exit()).as("%s", created).isZero();
    JsonNode first = JSON.readTree(created.out());
    assertThat(first.get("created").asBoolean()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring))).isEqualTo("rw-------");

    Cli.Result rotated = Cli.run("keys", "rotate", "--config", config.toString());
    assertThat(rotated.exit()).as("%s", rotated).isZero();
    assertThat(rotated.out()).startsWith("rotated keyring " + keyring + ": new objects are wrapped under key ")
        .contains("(was " + first.get("current").asText() + "); 1 older key is kept");

    Cli.Result list = Cli.run("keys", "list", "--config", config.toString(), "-o", "json");
    assertThat(list.exit()).as("%s", list).isZero();
    JsonNode keys = JSON.readTree(list.out());
    assertThat(keys.get("keys")).as("both keys, oldest first").hasSize(2);
    assertThat(keys.get("keys").get(0).asText()).isEqualTo(first.get("current").asText());
    assertThat(keys.get("current").asText()).as("the rotated key is current")
        .isEqualTo(keys.get("keys").get(1).asText());
    for (String line : Files.readAllLines(keyring)) {
      if (line.startsWith("kek.")) {
        assertThat(list.out()).as("list shows ids, never key bytes")
            .doesNotContain(line.substring(line.indexOf('=') + 1));
      }
    }
  }

  @Test
  void listMarksTheCurrentKeyInItsTable() {
    Cli.run("keys", "rotate", "--config", config.toString());
    Cli.run("keys", "rotate", "--config", config.toString());
    Cli.Result list = Cli.run("keys", "list", "--config", config.toString());
    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.out().lines()).hasSize(3).first().asString().startsWith("KEY ID");
    assertThat(list.out().lines().skip(2).findFirst().orElseThrow()).as("the newest key is current")
        .endsWith("yes");
  }

  @Test
  void aKeyringReadableByOthersIsRefusedWithExit2AndNoStackTrace() throws Exception {
    Cli.run("keys", "rotate", "--config", config.toString());
    Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-r--r--"));
    Cli.Result list = Cli.run("keys", "list", "--config", config.toString());
    assertThat(list.exit()).as("%s", list).isEqualTo(ExitCodes.USAGE);
    assertThat(list.err()).contains("grey: config error: keyring " + keyring)
        .contains("run chmod 600 " + keyring).doesNotContain("\tat ");
    Cli.Result rotate = Cli.run("keys", "rotate", "--config", config.toString());
    assertThat(rotate.exit()).as("rotation refused too: %s", rotate).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void listWithoutAKeyringExitsNotFound() {
    Cli.Result list = Cli.run("keys", "list", "--config", config.toString());
    assertThat(list.exit()).as("%s", list).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(list.err()).contains("no keyring at " + keyring);
    assertThat(Files.exists(keyring)).as("list creates nothing").isFalse();
  }

  @Test
  void artifactsWrittenBeforeARotationStillDownloadThroughTheCli() throws Exception {
    Path data = dir.resolve("node");
    Path old = Files.writeString(dir.resolve("old.txt"), "written under the first key");
    Path fresh = Files.writeString(dir.resolve("new.txt"), "written under the second key");
    try (TestServer server = TestServer.start(data, ENCRYPTED)) {
      assertThat(Cli.run(server.args("artifact", "put", "default/t1/old.txt", old.toString())).exit()).isZero();
    }
    Cli.Result rotate = Cli.run("keys", "rotate", "--data-dir", data.toString());
    assertThat(rotate.exit()).as("%s", rotate).isZero();
    try (TestServer server = TestServer.start(data, ENCRYPTED)) {
      assertThat(Cli.run(server.args("artifact", "put", "default/t1/new.txt", fresh.toString())).exit()).isZero();
      Cli.Result getOld = Cli.run(server.args("artifact", "get", "default/t1/old.txt", "-"));
      assertThat(getOld.exit()).as("%s", getOld).isZero();
      assertThat(getOld.out()).isEqualTo("written under the first key");
      Cli.Result getNew = Cli.run(server.args("artifact", "get", "default/t1/new.txt", "-"));
      assertThat(getNew.out()).isEqualTo("written under the second key");
    }
  }

  @Test
  void anArtifactWhoseKeyIsNoLongerInTheKeyringFailsTheDownloadWithAConfigError() throws Exception {
    Path data = dir.resolve("node");
    Path file = Files.writeString(dir.resolve("a.txt"), "its key goes missing");
    try (TestServer server = TestServer.start(data, ENCRYPTED)) {
      assertThat(Cli.run(server.args("artifact", "put", "default/t1/a.txt", file.toString())).exit()).isZero();
    }
    Files.delete(data.resolve("keyring"));
    try (TestServer server = TestServer.start(data, ENCRYPTED)) {
      Cli.Result get = Cli.run(server.args("artifact", "get", "default/t1/a.txt", "-"));
      assertThat(get.exit()).as("%s", get).isEqualTo(ExitCodes.USAGE);
      assertThat(get.err()).contains("grey: config error:")
          .contains("the key the object was written under is not in the keyring").doesNotContain("\tat ");
      assertThat(get.out()).as("no bytes of the object").isEmpty();
    }
  }
}
