package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path serverDir;

  private static TestServer server;

  @TempDir
  Path work;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(serverDir.resolve("data"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(work.resolve(name), content);
  }

  @Test
  void putThenGetToAFileReturnsTheSameBytes() throws IOException {
    Path source = file("hello.txt", "hello, grey\n");
    Cli.Result put = Cli.run(server.args("artifact", "put", "default/t1/hello.txt", source.toString()));
    assertThat(put.exit()).as("put should succeed: %s", put).isZero();
    assertThat(put.out()).as("put reports the key").contains("artifacts/default/t1/hello.txt");

    Path target = work.resolve("copy.txt");
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/t1/hello.txt", target.toString()));
    assertThat(get.exit()).as("get should succeed: %s", get).isZero();
    assertThat(Files.readString(target)).as("downloaded bytes equal uploaded bytes").isEqualTo("hello, grey\n");
    assertThat(get.out()).as("get says the digest was verified").contains("verified");
  }

  @Test
  void getJsonReportsTheDigestOfTheBytesWritten() throws Exception {
    Path source = file("digest.txt", "digest me");
    assertThat(Cli.run(server.args("artifact", "put", "default/t1/digest.txt", source.toString())).exit()).isZero();
    Path target = work.resolve("digest.copy");
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/t1/digest.txt", target.toString(), "-o", "json"));
    assertThat(get.exit()).as("%s", get).isZero();
    JsonNode doc = JSON.readTree(get.out());
    assertThat(doc.path("sha256").asText()).as("the digest of the bytes written")
        .isEqualTo(io.grey.core.store.Digests.sha256Hex(Files.readAllBytes(target)));
    assertThat(doc.path("verified").asBoolean()).isTrue();
    assertThat(doc.path("size").asLong()).isEqualTo(9);
  }

  @Test
  void credentialsComeFromTheServersDataDirectory() throws IOException {
    Path source = file("c.txt", "from credentials file");
    Cli.Result put = Cli.run("artifact", "put", "default/creds/c.txt", source.toString(),
        "--data-dir", server.dataDir.toString());
    assertThat(put.exit()).as("put with --data-dir only should find server and token: %s", put).isZero();
  }

  @Test
  void credentialsComeFromTheEnvironment() throws IOException {
    Path source = file("e.txt", "from env");
    Cli.Result put = Cli.run(Map.of("GREY_SERVER", server.url(), "GREY_TOKEN", server.token()),
        "artifact", "put", "default/env/e.txt", source.toString(), "--data-dir", work.resolve("nowhere").toString());
    assertThat(put.exit()).as("put with GREY_SERVER/GREY_TOKEN should succeed: %s", put).isZero();
  }

  @Test
  void missingCredentialsFileSaysToStartTheServer() {
    Cli.Result ls = Cli.run("artifact", "ls", "default/t1", "--data-dir", work.resolve("none").toString());
    assertThat(ls.exit()).as("missing credentials is a configuration error: %s", ls).isEqualTo(ExitCodes.USAGE);
    assertThat(ls.err()).as("the message tells what to do").contains("grey server").contains("--server");
    assertThat(ls.err().strip().lines().count()).as("one line, no stack trace").isEqualTo(1);
  }

  @Test
  void putIfAbsentTwiceExitsWithPreconditionFailed() throws IOException {
    Path source = file("once.txt", "first");
    String[] args = server.args("artifact", "put", "default/t2/once.txt", source.toString(), "--if-absent");
    assertThat(Cli.run(args).exit()).as("first --if-absent put wins").isZero();
    Cli.Result second = Cli.run(args);
    assertThat(second.exit()).as("second --if-absent put loses: %s", second)
        .isEqualTo(ExitCodes.PRECONDITION_FAILED);
    assertThat(second.err()).startsWith("grey: precondition failed");
  }

  @Test
  void putIfVersionSucceedsOnlyWithTheCurrentVersion() throws IOException {
    Path source = file("v.txt", "v1");
    Cli.Result first = Cli.run(server.args("artifact", "put", "default/t3/v.txt", source.toString(), "-o", "json"));
    assertThat(first.exit()).as("%s", first).isZero();
    String version = JSON.readTree(first.out()).path("version").asText();
    assertThat(version).as("put -o json reports the version").isNotEmpty();

    Cli.Result current = Cli.run(server.args("artifact", "put", "default/t3/v.txt", source.toString(),
        "--if-version", version));
    assertThat(current.exit()).as("put with the current version wins: %s", current).isZero();
    Cli.Result stale = Cli.run(server.args("artifact", "put", "default/t3/v.txt", source.toString(),
        "--if-version", version));
    assertThat(stale.exit()).as("put with a replaced version loses: %s", stale)
        .isEqualTo(ExitCodes.PRECONDITION_FAILED);
  }

  @Test
  void getOfAMissingArtifactExitsNotFoundAndLeavesNoFile() throws IOException {
    Path target = work.resolve("missing.bin");
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/t1/no-such-thing", target.toString()));
    assertThat(get.exit()).as("%s", get).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(get.err()).as("one line naming the problem").startsWith("grey: not found").doesNotContain("\tat ");
    assertThat(Files.exists(target)).as("no file is created for a failed download").isFalse();
    try (var files = Files.list(work)) {
      assertThat(files.toList()).as("no temporary file is left behind").isEmpty();
    }
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/t1/no-such-thing", "--verbose"));
    assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(get.err()).as("--verbose prints the trace").contains("\tat ");
  }

  @Test
  void wrongTokenExitsUnauthenticated() {
    Cli.Result ls = Cli.run("artifact", "ls", "default/t1", "--server", server.url(), "--token", "not-the-token");
    assertThat(ls.exit()).as("%s", ls).isEqualTo(ExitCodes.ACCESS_DENIED);
    assertThat(ls.err()).startsWith("grey: unauthenticated");
  }

  @Test
  void anotherTenantsPathIsDenied() throws IOException {
    Cli.Result ls = Cli.run(server.args("artifact", "ls", "acme/t1"));
    assertThat(ls.exit()).as("the default token has no access to tenant acme: %s", ls)
        .isEqualTo(ExitCodes.ACCESS_DENIED);
    assertThat(ls.err()).startsWith("grey: access denied");
  }

  @Test
  void invalidKeyIsRefusedBeforeAnyRequest() {
    Cli.Result put = Cli.run("artifact", "put", "default/bad task/x", "-", "--server", "http://127.0.0.1:1",
        "--token", "t");
    assertThat(put.exit()).as("%s", put).isEqualTo(ExitCodes.INVALID);
    assertThat(put.err()).startsWith("grey: invalid key").contains("task id");
  }

  @Test
  void stdinUploadAndStdoutDownloadRoundTrip() throws IOException {
    byte[] bytes = "streamed through pipes\n".getBytes(StandardCharsets.UTF_8);
    Cli.Result put = Cli.runWithStdin(new ByteArrayInputStream(bytes),
        server.args("artifact", "put", "default/pipes/p.txt", "-"));
    assertThat(put.exit()).as("%s", put).isZero();
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/pipes/p.txt"));
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.stdout()).as("stdout carries exactly the artifact's bytes").isEqualTo(bytes);
  }

  @Test
  void rangeGetReturnsTheInclusiveSlice() throws IOException {
    Path source = file("digits.txt", "0123456789");
    assertThat(Cli.run(server.args("artifact", "put", "default/range/d.txt", source.toString())).exit()).isZero();
    Cli.Result get = Cli.run(server.args("artifact", "get", "default/range/d.txt", "-", "--range", "2-5"));
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.out()).isEqualTo("2345");
  }

  @Test
  void lsFollowsPagesAndListsEveryNameInOrder() throws IOException {
    Path source = file("x.txt", "x");
    List<String> names = List.of("a.txt", "b.txt", "c/d.txt", "e.txt", "f.txt");
    for (String name : names) {
      assertThat(Cli.run(server.args("artifact", "put", "default/listing/" + name, source.toString())).exit())
          .isZero();
    }
    Cli.Result ls = Cli.run(server.args("artifact", "ls", "default/listing", "--page-size", "2"));
    assertThat(ls.exit()).as("%s", ls).isZero();
    List<String> listed = ls.out().lines().skip(1).map(l -> l.split("\\s+")[0]).toList();
    assertThat(listed).as("all names over three pages, in order").containsExactlyElementsOf(names);
  }

  @Test
  void lsLimitStopsEarly() throws IOException {
    Path source = file("y.txt", "y");
    for (String name : List.of("1", "2", "3", "4")) {
      assertThat(Cli.run(server.args("artifact", "put", "default/limited/" + name, source.toString())).exit())
          .isZero();
    }
    Cli.Result ls = Cli.run(server.args("artifact", "ls", "default/limited", "--limit", "3", "--page-size", "2",
        "-o", "json"));
    assertThat(ls.exit()).as("%s", ls).isZero();
    JsonNode doc = JSON.readTree(ls.out());
    assertThat(doc.path("count").asInt()).isEqualTo(3);
    assertThat(doc.path("next").asText()).as("a token to continue is given").isNotEmpty();
  }

  @Test
  void lsJsonIsOneDocumentWithTheObjectFields() throws IOException {
    Path source = file("j.txt", "json please");
    assertThat(Cli.run(server.args("artifact", "put", "default/json/j.txt", source.toString())).exit()).isZero();
    Cli.Result ls = Cli.run(server.args("artifact", "ls", "default/json", "--output", "json"));
    assertThat(ls.exit()).as("%s", ls).isZero();
    JsonNode doc = JSON.readTree(ls.out());
    JsonNode object = doc.path("objects").path(0);
    assertThat(object.path("name").asText()).isEqualTo("j.txt");
    assertThat(object.path("key").asText()).isEqualTo("artifacts/default/json/j.txt");
    assertThat(object.path("size").asLong()).isEqualTo(11);
    assertThat(object.path("sha256").asText()).hasSize(64);
    assertThat(object.path("version").asText()).isNotEmpty();
    assertThat(doc.path("count").asInt()).isEqualTo(1);
  }

  @Test
  void rmDeletesTheArtifact() throws IOException {
    Path source = file("gone.txt", "soon gone");
    assertThat(Cli.run(server.args("artifact", "put", "default/rm/gone.txt", source.toString())).exit()).isZero();
    Cli.Result rm = Cli.run(server.args("artifact", "rm", "default/rm/gone.txt"));
    assertThat(rm.exit()).as("%s", rm).isZero();
    assertThat(Cli.run(server.args("artifact", "get", "default/rm/gone.txt")).exit())
        .as("a removed artifact is not found").isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void rmOfAMissingArtifactIsNotFoundUnlessForced() throws IOException {
    Cli.Result rm = Cli.run(server.args("artifact", "rm", "default/rm/never-there"));
    assertThat(rm.exit()).as("%s", rm).isEqualTo(ExitCodes.NOT_FOUND);
    Cli.Result forced = Cli.run(server.args("artifact", "rm", "default/rm/never-there", "--force"));
    assertThat(forced.exit()).as("--force accepts a missing artifact: %s", forced).isZero();
  }

  @Test
  void presignedUrlServesTheBytesWithoutAToken() throws Exception {
    Path source = file("shared.txt", "shared bytes");
    assertThat(Cli.run(server.args("artifact", "put", "default/share/s.txt", source.toString())).exit()).isZero();
    Cli.Result presign = Cli.run(server.args("artifact", "presign", "default/share/s.txt", "--ttl", "10m",
        "-o", "json"));
    assertThat(presign.exit()).as("%s", presign).isZero();
    JsonNode doc = JSON.readTree(presign.out());
    assertThat(doc.path("ttl_seconds").asLong()).isEqualTo(600);
    assertThat(doc.path("expires_at").asText()).isNotEmpty();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(doc.path("url").asText())).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("the URL works without a token").isEqualTo(200);
    assertThat(response.body()).isEqualTo("shared bytes");
  }

  @Test
  void presignTableOutputIsTheUrlAlone() throws IOException {
    Path source = file("u.txt", "u");
    assertThat(Cli.run(server.args("artifact", "put", "default/share/u.txt", source.toString())).exit()).isZero();
    Cli.Result presign = Cli.run(server.args("artifact", "presign", "default/share/u.txt"));
    assertThat(presign.exit()).as("%s", presign).isZero();
    assertThat(presign.out().strip()).startsWith("http").doesNotContain("\n");
  }

  @Test
  void usageErrorsExitTwoWithOneLine() throws IOException {
    Path source = file("z.txt", "z");
    Cli.Result both = Cli.run(server.args("artifact", "put", "default/t1/z", source.toString(), "--if-absent",
        "--if-version", "v"));
    assertThat(both.exit()).as("%s", both).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).startsWith("grey: --if-absent and --if-version exclude each other");
    Cli.Result unknown = Cli.run("artifact", "ls", "default/t1", "--bogus");
    assertThat(unknown.exit()).as("%s", unknown).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).startsWith("grey: Unknown option: '--bogus'");
  }

  @Test
  void serverThatIsNotThereIsUnavailable() {
    Cli.Result ls = Cli.run("artifact", "ls", "default/t1", "--server", "http://127.0.0.1:9", "--token", "t");
    assertThat(ls.exit()).as("%s", ls).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(ls.err()).contains("cannot reach the server");
  }

  @Test
  void putOfAMissingFileIsAUsageError() {
    Cli.Result put = Cli.run("artifact", "put", "default/t1/x", work.resolve("absent").toString(),
        "--server", "http://127.0.0.1:9", "--token", "t");
    assertThat(put.exit()).as("%s", put).isEqualTo(ExitCodes.USAGE);
    assertThat(put.err()).contains("no such file");
  }
}
