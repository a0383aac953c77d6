package io.grey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's JSON API, spoken by a plain HTTP client the way Google's reference describes it, for the parts
 * Grey's store does not reach through the Java client (delimiter listings, status queries, 304, error bodies).
 */
class GcsEmulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static GcsEmulator emulator;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    emulator = GcsEmulator.start();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    http.close();
    emulator.close();
  }

  private static HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.endpoint() + pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static JsonNode media(String bucket, String name, String body, String query) throws Exception {
    HttpResponse<String> r = send("POST", "/upload/storage/v1/b/" + bucket + "/o?uploadType=media&name=" + name
        + query, body, "Content-Type", "text/plain");
    assertThat(r.statusCode()).as("media insert of %s: %s", name, r.body()).isEqualTo(200);
    return json(r);
  }

  @Test
  void aResumableUploadAnswers308WithThePersistedRangeUntilTheLastChunk() throws Exception {
    String bucket = emulator.newBucket();
    HttpResponse<String> init = send("POST", "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable",
        "{\"name\":\"doc\",\"metadata\":{\"k\":\"v\"}}", "Content-Type", "application/json");
    String session = init.headers().firstValue("Location").orElseThrow();
    String path = URI.create(session).getRawPath() + "?" + URI.create(session).getRawQuery();

    HttpResponse<String> first = send("PUT", path, "hello ", "Content-Range", "bytes 0-5/*");
    HttpResponse<String> status = send("PUT", path, null, "Content-Range", "bytes */*");
    HttpResponse<String> last = send("PUT", path, "world", "Content-Range", "bytes 6-10/11");

    assertThat(first.statusCode()).as("status of a non-final chunk").isEqualTo(308);
    assertThat(first.headers().firstValue("Range")).as("persisted range").contains("bytes=0-5");
    assertThat(status.headers().firstValue("Range")).as("range from a status query").contains("bytes=0-5");
    assertThat(last.statusCode()).as("status of the final chunk").isEqualTo(200);
    assertThat(json(last).path("size").asText()).isEqualTo("11");
    assertThat(json(last).path("metadata").path("k").asText()).isEqualTo("v");
    assertThat(send("GET", "/storage/v1/b/" + bucket + "/o/doc?alt=media", null).body()).isEqualTo("hello world");
  }

  @Test
  void aDelimiterListingGivesPrefixesAndPagesThroughTokens() throws Exception {
    String bucket = emulator.newBucket();
    for (String name : List.of("a/1", "a/2", "b", "c/x/y", "d")) {
      media(bucket, name.replace("/", "%2F"), "x", "");
    }
    List<String> seen = new ArrayList<>();
    String token = "";
    do {
      JsonNode page = json(send("GET", "/storage/v1/b/" + bucket + "/o?delimiter=%2F&maxResults=2" + token, null));
      page.path("prefixes").forEach(p -> seen.add("prefix " + p.asText()));
      page.path("items").forEach(i -> seen.add(i.path("name").asText()));
      token = page.has("nextPageToken") ? "&pageToken=" + page.get("nextPageToken").asText() : "";
    } while (!token.isEmpty());

    assertThat(seen).as("listing with delimiter / in pages of two")
        .containsExactly("prefix a/", "b", "prefix c/", "d");
  }

  @Test
  void generationPreconditionsAreHonouredAndFailuresUseGooglesErrorShape() throws Exception {
    String bucket = emulator.newBucket();
    JsonNode v1 = media(bucket, "obj", "one", "");
    String gen = v1.path("generation").asText();

    HttpResponse<String> exists = send("POST", "/upload/storage/v1/b/" + bucket
        + "/o?uploadType=media&name=obj&ifGenerationMatch=0", "two");
    HttpResponse<String> notModified = send("GET", "/storage/v1/b/" + bucket + "/o/obj?ifGenerationNotMatch=" + gen,
        null);
    HttpResponse<String> metaMismatch = send("PATCH", "/storage/v1/b/" + bucket + "/o/obj?ifMetagenerationMatch=7",
        "{\"metadata\":{\"a\":\"b\"}}", "Content-Type", "application/json");
    JsonNode v2 = media(bucket, "obj", "two", "&ifGenerationMatch=" + gen);

    assertThat(exists.statusCode()).as("ifGenerationMatch=0 on an existing object").isEqualTo(412);
    JsonNode error = json(exists).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(412);
    assertThat(error.path("errors").get(0).path("reason").asText()).isEqualTo("conditionNotMet");
    assertThat(notModified.statusCode()).as("ifGenerationNotMatch of the current generation").isEqualTo(304);
    assertThat(metaMismatch.statusCode()).as("ifMetagenerationMatch of another metageneration").isEqualTo(412);
    assertThat(Long.parseLong(v2.path("generation").asText())).as("a new generation after a matched overwrite")
        .isGreaterThan(Long.parseLong(gen));
  }

  @Test
  void rangesBeyondTheEndAre416AndABucketInsertedTwiceIs409() throws Exception {
    String bucket = emulator.newBucket();
    media(bucket, "short", "abc", "");

    HttpResponse<String> partial = send("GET", "/download/storage/v1/b/" + bucket + "/o/short?alt=media", null,
        "Range", "bytes=1-");
    HttpResponse<String> beyond = send("GET", "/storage/v1/b/" + bucket + "/o/short?alt=media", null,
        "Range", "bytes=3-");
    HttpResponse<String> again = send("POST", "/storage/v1/b?project=" + GcsEmulator.PROJECT,
        "{\"name\":\"" + bucket + "\"}", "Content-Type", "application/json");

    assertThat(partial.statusCode()).isEqualTo(206);
    assertThat(partial.body()).isEqualTo("bc");
    assertThat(partial.headers().firstValue("Content-Range")).contains("bytes 1-2/3");
    assertThat(beyond.statusCode()).as("a range starting at the size").isEqualTo(416);
    assertThat(again.statusCode()).as("inserting an existing bucket").isEqualTo(409);
  }

  @Test
  void aMultipartUploadWhoseCrc32cDoesNotMatchTheBodyIsRefused() throws Exception {
    String bucket = emulator.newBucket();
    String body = "--b\r\nContent-Type: application/json\r\n\r\n{\"name\":\"c\",\"crc32c\":\"AAAAAA==\"}\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\npayload\r\n--b--\r\n";

    HttpResponse<String> r = send("POST", "/upload/storage/v1/b/" + bucket + "/o?uploadType=multipart", body,
        "Content-Type", "multipart/related; boundary=b");

    assertThat(r.statusCode()).as("multipart insert with a wrong crc32c: %s", r.body()).isEqualTo(400);
    assertThat(r.body()).as("error message").contains("doesn't match calculated CRC32C");
    assertThat(emulator.objectNames(bucket)).as("objects after the refused insert").isEmpty();
  }

  @Test
  void aMultipartUploadWhoseMd5DoesNotMatchTheBodyIsRefused() throws Exception {
    String bucket = emulator.newBucket();
    String body = "--b\r\nContent-Type: application/json\r\n\r\n"
        + "{\"name\":\"m\",\"md5Hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\npayload\r\n--b--\r\n";

    HttpResponse<String> r = send("POST", "/upload/storage/v1/b/" + bucket + "/o?uploadType=multipart", body,
        "Content-Type", "multipart/related; boundary=b");

    assertThat(r.statusCode()).as("multipart insert with a wrong md5Hash: %s", r.body()).isEqualTo(400);
    assertThat(emulator.objectNames(bucket)).as("objects after the refused insert").isEmpty();
    assertThat(r.body()).as("error message").contains("doesn't match calculated MD5");
  }
}
