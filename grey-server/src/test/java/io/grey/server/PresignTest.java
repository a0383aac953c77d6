package io.grey.server;

import io.grey.testkit.MutableClock;
import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.put;
import static io.grey.server.TestNodes.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presigned GET URLs: served without a token while valid, refused alike when tampered with or expired. */
class PresignTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/v1/artifacts/acme/build-7/dist/app.tar";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(Instant.now());
  private GreyServer node;
  private String refusal;

  @BeforeEach
  void start() throws Exception {
    node = GreyServer.start(TestNodes.config(dataDir), clock);
    put(node, PATH, TOKEN_A, "the release");
    put(node, "/v1/artifacts/acme/build-7/dist/other.tar", TOKEN_A, "another file");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private JsonNode presign(long ttlSeconds) throws Exception {
    HttpResponse<String> response = send(TestNodes.request(node, PATH + "/presign?ttl=" + ttlSeconds, TOKEN_A)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(response.statusCode()).as("presign: %s", response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> fetch(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private void assertRefused(String url, String what) throws Exception {
    HttpResponse<String> response = fetch(url);
    assertThat(response.statusCode()).as("%s is refused", what).isEqualTo(403);
    assertThat(JSON.readTree(response.body()).get("code").asText()).as("code of %s", what)
        .isEqualTo("access_denied");
    if (refusal == null) {
      refusal = response.body();
    }
    assertThat(response.body()).as("every refusal looks the same (%s)", what).isEqualTo(refusal);
  }

  @Test
  void presignedUrlReadsTheArtifactWithoutAToken() throws Exception {
    JsonNode answer = presign(60);
    HttpResponse<String> read = fetch(answer.get("url").asText());
    assertThat(read.statusCode()).as("a fresh presigned URL works without a token").isEqualTo(200);
    assertThat(read.body()).as("the artifact's bytes").isEqualTo("the release");
    assertThat(Instant.parse(answer.get("expires_at").asText()))
        .as("expires_at is the TTL from now")
        .isBetween(clock.instant().plusSeconds(59), clock.instant().plusSeconds(61));
  }

  @Test
  void tamperedSignatureKeyOrExpiryIsRefusedAlike() throws Exception {
    String url = presign(60).get("url").asText();
    Matcher sig = Pattern.compile("signature=([^&]+)").matcher(url);
    assertThat(sig.find()).as("the URL carries a signature: %s", url).isTrue();
    String signature = sig.group(1);
    String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
    assertRefused(url.replace("signature=" + signature, "signature=" + flipped), "a changed signature");
    assertRefused(url.replace("app.tar", "other.tar"), "a URL pointed at another key");
    Matcher expires = Pattern.compile("expires=(\\d+)").matcher(url);
    assertThat(expires.find()).as("the URL carries an expiry").isTrue();
    long later = Long.parseLong(expires.group(1)) + 3600;
    assertRefused(url.replace("expires=" + expires.group(1), "expires=" + later), "a pushed-back expiry");
    assertRefused(url.replace("expires=" + expires.group(1), "expires=soon"), "a malformed expiry");
    assertRefused(url.replaceAll("&signature=[^&]+", ""), "a missing signature");
  }

  @Test
  void expiredUrlIsRefused() throws Exception {
    String url = presign(60).get("url").asText();
    clock.advance(Duration.ofSeconds(61));
    assertRefused(url, "an expired URL");
  }

  @Test
  void ttlBeyondTheServersMaximumIs400() throws Exception {
    HttpResponse<String> response = send(TestNodes.request(node, PATH + "/presign?ttl=" + (8 * 24 * 3600), TOKEN_A)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(response.statusCode()).as("a TTL over max_presign_ttl").isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("code").asText()).as("code").isEqualTo("invalid_request");
  }

  @Test
  void presignNeedsAToken() {
    HttpResponse<String> response = send(TestNodes.request(node, PATH + "/presign?ttl=60", null)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(response.statusCode()).as("presign without a token").isEqualTo(401);
  }
}
