package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.TOKEN_B;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.config.TokenConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer-token authentication, tenant isolation and the node's own credentials file. */
class AuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  private static String code(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).get("code").asText();
  }

  @Test
  void requestWithoutTokenIs401WithBearerChallenge() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      HttpResponse<String> response = get(node, "/v1/artifacts/acme/t1/a.txt", null);
      assertThat(response.statusCode()).as("no token").isEqualTo(401);
      assertThat(code(response)).as("the error code").isEqualTo("unauthenticated");
      assertThat(response.headers().firstValue("WWW-Authenticate")).as("the challenge")
          .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }
  }

  @Test
  void requestWithUnknownTokenIs401() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      HttpResponse<String> response = put(node, "/v1/artifacts/acme/t1/a.txt", "not-a-token", "x");
      assertThat(response.statusCode()).as("a wrong token").isEqualTo(401);
      assertThat(code(response)).as("the error code").isEqualTo("unauthenticated");
      assertThat(get(node, "/v1/artifacts/acme/t1/a.txt", TOKEN_A).statusCode())
          .as("nothing was written by the refused PUT").isEqualTo(404);
    }
  }

  @Test
  void tokenOfOneTenantOnAnotherTenantsPathIs403AndWritesNothing() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      HttpResponse<String> response = put(node, "/v1/artifacts/globex/t1/a.txt", TOKEN_A, "intruder");
      assertThat(response.statusCode()).as("acme's token on globex's path").isEqualTo(403);
      assertThat(code(response)).as("the error code").isEqualTo("access_denied");
      assertThat(get(node, "/v1/artifacts/globex/t1/a.txt", TOKEN_B).statusCode())
          .as("globex has no such artifact").isEqualTo(404);
      assertThat(get(node, "/v1/artifacts/globex/t1/", TOKEN_A).statusCode())
          .as("acme cannot list globex either").isEqualTo(403);
    }
  }

  @Test
  void auditLogNamesTheAuthenticatedTenant() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir))) {
      assertThat(put(node, "/v1/artifacts/acme/t1/audited.txt", TOKEN_A, "x").statusCode()).isEqualTo(200);
    }
    String audit = Files.readString(dataDir.resolve("audit.log"), StandardCharsets.UTF_8);
    assertThat(audit).as("the audit entry names the caller's tenant, not the default actor")
        .contains("tenant:acme").contains("audited.txt").doesNotContain(TOKEN_A);
  }

  @Test
  void withoutConfiguredTokensTheNodeWritesAPrivateCredentialsFileAndAcceptsItsToken() throws Exception {
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir, List.<TokenConfig>of()))) {
      Path file = dataDir.resolve("credentials");
      assertThat(Files.getPosixFilePermissions(file)).as("the credentials file is private to its owner")
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      Map<String, String> values = read(file);
      assertThat(values).as("server, tenant and token lines").containsKeys("server", "tenant", "token");
      assertThat(values.get("server")).as("the server line").isEqualTo(node.baseUri().toString());
      assertThat(values.get("tenant")).as("the tenant").isEqualTo("default");
      assertThat(values.get("token")).as("32 random bytes, base64url").matches("[A-Za-z0-9_-]{43}");
      assertThat(put(node, "/v1/artifacts/default/t1/a.txt", values.get("token"), "x").statusCode())
          .as("the file's token is accepted for tenant default").isEqualTo(200);
    }
  }

  @Test
  void credentialsFileIsReusedAcrossRestarts() throws Exception {
    String first;
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir, List.<TokenConfig>of()))) {
      first = read(dataDir.resolve("credentials")).get("token");
      put(node, "/v1/artifacts/default/t1/kept.txt", first, "kept");
    }
    try (GreyServer node = GreyServer.start(TestNodes.config(dataDir, List.<TokenConfig>of()))) {
      Map<String, String> again = read(dataDir.resolve("credentials"));
      assertThat(again.get("token")).as("the token survives a restart").isEqualTo(first);
      assertThat(again.get("server")).as("the server line follows the new port").isEqualTo(node.baseUri().toString());
      assertThat(get(node, "/v1/artifacts/default/t1/kept.txt", first).body())
          .as("the old token still reads the old data").isEqualTo("kept");
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("credentials")))
          .as("a rewritten file stays private")
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
  }

  private static Map<String, String> read(Path file) throws Exception {
    return Files.readAllLines(file).stream()
        .filter(line -> line.contains("="))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
  }
}
