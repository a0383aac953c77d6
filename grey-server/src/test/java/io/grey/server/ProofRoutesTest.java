package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proofs signed by the node's key: stored with PUT, listed with their verification by GET. */
class ProofRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  @Test
  void storedProofIsSignedAndListedAsVerified() throws Exception {
    HttpResponse<String> stored = put(node, "/v1/proofs/acme/job-1", TOKEN_A,
        "{\"platform\":\"sev-snp\",\"measurement\":\"9f86d081884c7d65\"}", "Content-Type", "application/json");
    assertThat(stored.statusCode()).as("storing a proof: %s", stored.body()).isEqualTo(200);
    JsonNode proof = JSON.readTree(stored.body());
    assertThat(proof.get("task_id").asText()).as("the proof names its task").isEqualTo("job-1");
    assertThat(proof.get("signature").asText()).as("the proof is signed").isNotBlank();

    HttpResponse<String> listed = get(node, "/v1/proofs/acme/job-1", TOKEN_A);
    assertThat(listed.statusCode()).as("listing proofs").isEqualTo(200);
    JsonNode proofs = JSON.readTree(listed.body()).get("proofs");
    assertThat(proofs.size()).as("one proof stored").isEqualTo(1);
    assertThat(proofs.get(0).get("id").asText()).as("the same proof").isEqualTo(proof.get("id").asText());
    assertThat(proofs.get(0).get("measurement").asText()).as("its measurement").isEqualTo("9f86d081884c7d65");
    assertThat(proofs.get(0).get("verified").asBoolean()).as("the node's own signature verifies").isTrue();
  }

  @Test
  void claimWithoutMeasurementIs400() throws Exception {
    HttpResponse<String> stored = put(node, "/v1/proofs/acme/job-2", TOKEN_A, "{\"platform\":\"sev-snp\"}");
    assertThat(stored.statusCode()).as("a claim without a measurement").isEqualTo(400);
    assertThat(JSON.readTree(stored.body()).get("code").asText()).as("code").isEqualTo("invalid_request");
    assertThat(JSON.readTree(get(node, "/v1/proofs/acme/job-2", TOKEN_A).body()).get("proofs").size())
        .as("nothing was stored").isZero();
  }

  @Test
  void proofsOfAnotherTenantAre403() {
    assertThat(get(node, "/v1/proofs/globex/job-1", TOKEN_A).statusCode())
        .as("acme's token on globex's proofs").isEqualTo(403);
  }
}
