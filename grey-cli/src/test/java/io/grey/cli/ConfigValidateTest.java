package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidateTest {
  private static final String VALID = """
      server:
        host: 127.0.0.1
        port: 8080
        data_dir: ./grey-data
      lifecycle:
        - prefix: artifacts/
          expiration_days: 365
      environment: production
      """;

  @TempDir
  Path work;

  @Test
  void validFileIsOk() throws IOException {
    Path file = Files.writeString(work.resolve("grey.yaml"), VALID);
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out().strip()).isEqualTo("ok: " + file);
  }

  @Test
  void unknownKeyExitsTwoNamingTheLine() throws IOException {
    Path file = Files.writeString(work.resolve("bad.yaml"), VALID.replace("  port: 8080", "  prot: 8080"));
    Cli.Result result = Cli.run("config", "validate", file.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as("the message names the file, the line and the key")
        .startsWith("grey: config error").contains("bad.yaml").contains("3").contains("prot");
    assertThat(result.out()).as("nothing on stdout in table mode").isEmpty();
  }

  @Test
  void jsonOutputSaysWhetherTheFileIsValid() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path good = Files.writeString(work.resolve("good.yaml"), VALID);
    Path bad = Files.writeString(work.resolve("bad.yaml"), VALID + "bogus_key: 1\n");
    JsonNode ok = json.readTree(Cli.run("config", "validate", good.toString(), "-o", "json").out());
    assertThat(ok.path("valid").asBoolean()).isTrue();
    Cli.Result failed = Cli.run("config", "validate", bad.toString(), "-o", "json");
    assertThat(failed.exit()).isEqualTo(ExitCodes.USAGE);
    JsonNode doc = json.readTree(failed.out());
    assertThat(doc.path("valid").asBoolean(true)).isFalse();
    assertThat(doc.path("error").asText()).contains("bogus_key");
  }
}
