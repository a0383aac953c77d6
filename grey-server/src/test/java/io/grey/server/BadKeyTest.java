package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Paths that would climb out of a task, or that break a naming rule, are refused with 400 and write nothing. */
class BadKeyTest {
  @TempDir static Path dataDir;
  private static GreyServer node;

  @BeforeAll
  static void start() {
    node = GreyServer.start(TestNodes.config(dataDir));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/v1/artifacts/acme/t1/../escape",
      "/v1/artifacts/acme/t1/a/../../t2/x",
      "/v1/artifacts/acme/t1/./x",
      "/v1/artifacts/acme/t1/%2e%2e/x",
      "/v1/artifacts/acme/t1/%2E/x",
      "/v1/artifacts/acme/t1/a%2fb",
      "/v1/artifacts/acme/t1/a%5cb",
      "/v1/artifacts/acme/t1/a\\b",
      "/v1/artifacts/acme/t1//x",
      "/v1/artifacts/acme/t1/x/",
      "/v1/artifacts/acme/t1/with%20space",
      "/v1/artifacts/acme/../globex/t1/x"})
  void badKeyIs400InvalidKeyAndNothingIsStored(String path) throws Exception {
    String response = TestNodes.raw(node, "PUT", path, TOKEN_A);
    assertThat(response).as("PUT %s is refused as a bad key", path).startsWith("HTTP/1.1 400");
    assertThat(response).as("with a JSON body naming invalid_key").contains("application/json")
        .contains("\"code\":\"invalid_key\"");
    assertThat(response).as("without any host path").doesNotContain(dataDir.toString());
    assertNothingStored();
  }

  @Test
  void malformedPercentEscapeIsRefusedWithA400JsonBody() throws Exception {
    String response = TestNodes.raw(node, "PUT", "/v1/artifacts/acme/t1/%zz", TOKEN_A);
    assertThat(response).as("Jetty refuses the URI itself").startsWith("HTTP/1.1 400");
    assertThat(response).as("still with Grey's JSON body").contains("application/json").contains("\"code\":\"invalid_");
    assertNothingStored();
  }

  private static void assertNothingStored() throws Exception {
    for (Path file : TestNodes.files(dataDir.resolve("objects"))) {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
          .as("no stored file holds the refused body (%s)", file.getFileName()).doesNotContain("hello");
    }
  }
}
