package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProofCommandsTest {
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

  private JsonNode putProof(String task, String measurement) throws IOException {
    Cli.Result put = Cli.run(server.args("proof", "put", task, "--platform", "sgx", "--measurement", measurement,
        "-o", "json"));
    assertThat(put.exit()).as("%s", put).isZero();
    return JSON.readTree(put.out());
  }

  @Test
  void proofPutPrintsTheSignedProof() throws IOException {
    JsonNode proof = putProof("default/p1", "abc123");
    assertThat(proof.path("id").asText()).isNotEmpty();
    assertThat(proof.path("task_id").asText()).isEqualTo("p1");
    assertThat(proof.path("measurement").asText()).isEqualTo("abc123");
    assertThat(proof.path("signature").asText()).isNotEmpty();
  }

  @Test
  void serverVerifiesEveryProofOfATask() throws IOException {
    String id = putProof("default/p2", "m-1").path("id").asText();
    Cli.Result verify = Cli.run(server.args("proof", "verify", "default/p2"));
    assertThat(verify.exit()).as("%s", verify).isZero();
    assertThat(verify.out()).as("the table shows the proof and its verdict").contains(id).contains("yes");

    Cli.Result json = Cli.run(server.args("proof", "verify", "default/p2", "-o", "json"));
    assertThat(json.exit()).as("%s", json).isZero();
    assertThat(JSON.readTree(json.out()).path("proofs").path(0).path("verified").asBoolean())
        .as("the JSON carries the server's verdict").isTrue();
  }

  @Test
  void taskWithoutProofsIsNotFound() throws IOException {
    Cli.Result verify = Cli.run(server.args("proof", "verify", "default/never-proven"));
    assertThat(verify.exit()).as("%s", verify).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void offlineVerificationAcceptsAnUntouchedProof() throws IOException {
    Path proof = Files.writeString(work.resolve("proof.json"), putProof("default/p3", "m-ok").toString());
    Cli.Result verify = Cli.run("proof", "verify", "--file", proof.toString(), "--public-key",
        server.dataDir.resolve("node-ed25519.pub").toString());
    assertThat(verify.exit()).as("%s", verify).isZero();
    assertThat(verify.out()).startsWith("verified:");
  }

  @Test
  void offlineVerificationRejectsATamperedMeasurement() throws IOException {
    ObjectNode proof = (ObjectNode) putProof("default/p4", "m-real");
    proof.put("measurement", "m-forged");
    Path file = Files.writeString(work.resolve("forged.json"), proof.toString());
    Cli.Result verify = Cli.run("proof", "verify", "--file", file.toString(), "--public-key",
        server.dataDir.resolve("node-ed25519.pub").toString(), "-o", "json");
    assertThat(verify.exit()).as("%s", verify).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(verify.err()).startsWith("grey: integrity mismatch").contains("does not verify");
    assertThat(JSON.readTree(verify.out()).path("verified").asBoolean(true))
        .as("the JSON document says it did not verify").isFalse();
  }

  @Test
  void offlineVerificationNeedsBothFileAndKey() throws IOException {
    Path file = Files.writeString(work.resolve("p.json"), "{}");
    Cli.Result verify = Cli.run("proof", "verify", "--file", file.toString());
    assertThat(verify.exit()).as("%s", verify).isEqualTo(ExitCodes.USAGE);
  }
}
