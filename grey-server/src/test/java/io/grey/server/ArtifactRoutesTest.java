package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static io.grey.server.TestNodes.request;
import static io.grey.server.TestNodes.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.store.Digests;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact routes over real sockets: bodies, conditions, ranges, listings, headers, health and metrics. */
class ArtifactRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "/v1/artifacts/acme/";

  @TempDir static Path dataDir;
  private static GreyServer node;
  private static int counter;

  @BeforeAll
  static void start() {
    node = GreyServer.start(TestNodes.config(dataDir));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A task of its own for each test, so that tests sharing the node do not see each other's artifacts. */
  private static synchronized String task() {
    return BASE + "task-" + (++counter) + "/";
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void putThenGetReturnsTheSameBytesWithEtagAndDigest() throws Exception {
    String path = task() + "reports/summary.json";
    HttpResponse<String> stored = put(node, path, TOKEN_A, "{\"ok\":true}", "Content-Type", "application/json");
    String sha = Digests.sha256Hex("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    assertThat(stored.statusCode()).as("a PUT stores the artifact: %s", stored.body()).isEqualTo(200);
    assertThat(json(stored).get("sha256").asText()).as("the PUT answer names the SHA-256").isEqualTo(sha);

    HttpResponse<String> read = get(node, path, TOKEN_A);
    assertThat(read.statusCode()).as("a stored artifact can be read").isEqualTo(200);
    assertThat(read.body()).as("GET returns the stored bytes").isEqualTo("{\"ok\":true}");
    assertThat(read.headers().firstValue("ETag")).as("GET carries the version as a quoted ETag")
        .hasValue("\"" + json(stored).get("version").asText() + "\"");
    assertThat(read.headers().firstValue("X-Grey-Sha256")).as("GET carries the SHA-256").hasValue(sha);
    assertThat(read.headers().firstValue("Content-Type")).as("the content type is kept")
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(read.headers().firstValueAsLong("Content-Length")).as("GET sends a Content-Length").hasValue(11);
  }

  @Test
  void headReturnsTheHeadersOfGetWithoutABody() {
    String path = task() + "a.bin";
    put(node, path, TOKEN_A, "twelve bytes");
    HttpResponse<String> head = send(request(node, path, TOKEN_A)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    HttpResponse<String> get = get(node, path, TOKEN_A);
    assertThat(head.statusCode()).as("HEAD of a stored artifact").isEqualTo(200);
    assertThat(head.body()).as("HEAD has no body").isEmpty();
    for (String header : List.of("ETag", "X-Grey-Sha256", "Content-Length", "Content-Type", "Last-Modified")) {
      assertThat(head.headers().firstValue(header)).as("HEAD sends the same %s as GET", header)
          .isEqualTo(get.headers().firstValue(header));
    }
  }

  @Test
  void headOfAMissingArtifactIs404() {
    HttpResponse<String> head = send(request(node, task() + "missing", TOKEN_A)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).as("HEAD of nothing").isEqualTo(404);
  }

  @Test
  void getOfAMissingArtifactIs404WithJsonCode() throws Exception {
    HttpResponse<String> read = get(node, task() + "missing", TOKEN_A);
    assertThat(read.statusCode()).as("GET of nothing").isEqualTo(404);
    assertThat(json(read).get("code").asText()).as("the error code").isEqualTo("not_found");
  }

  @Test
  void deleteRemovesTheArtifactAndIsIdempotent() throws Exception {
    String path = task() + "gone.txt";
    put(node, path, TOKEN_A, "bye");
    HttpResponse<String> first = send(request(node, path, TOKEN_A).DELETE().build());
    HttpResponse<String> second = send(request(node, path, TOKEN_A).DELETE().build());
    assertThat(first.statusCode()).as("DELETE succeeds").isEqualTo(200);
    assertThat(json(first).get("deleted").asBoolean()).as("the first DELETE removed an object").isTrue();
    assertThat(second.statusCode()).as("a repeated DELETE succeeds too").isEqualTo(200);
    assertThat(json(second).get("deleted").asBoolean()).as("the repeated DELETE found nothing").isFalse();
    assertThat(get(node, path, TOKEN_A).statusCode()).as("the artifact is gone").isEqualTo(404);
  }

  @Test
  void ifNoneMatchStarCreatesOnceAndThen412() throws Exception {
    String path = task() + "once.txt";
    HttpResponse<String> first = put(node, path, TOKEN_A, "first", "If-None-Match", "*");
    HttpResponse<String> second = put(node, path, TOKEN_A, "second", "If-None-Match", "*");
    assertThat(first.statusCode()).as("the first create-if-absent wins").isEqualTo(200);
    assertThat(second.statusCode()).as("the second create-if-absent fails").isEqualTo(412);
    assertThat(json(second).get("code").asText()).as("the error code").isEqualTo("precondition_failed");
    assertThat(get(node, path, TOKEN_A).body()).as("the first body is kept").isEqualTo("first");
  }

  @Test
  void ifMatchWithTheCurrentVersionReplaces() {
    String path = task() + "cas.txt";
    String etag = put(node, path, TOKEN_A, "v1").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> swap = put(node, path, TOKEN_A, "v2", "If-Match", etag);
    assertThat(swap.statusCode()).as("If-Match with the current ETag: %s", swap.body()).isEqualTo(200);
    assertThat(get(node, path, TOKEN_A).body()).as("the body was replaced").isEqualTo("v2");
  }

  @Test
  void ifMatchWithAStaleVersionIs412AndChangesNothing() {
    String path = task() + "cas.txt";
    String stale = put(node, path, TOKEN_A, "v1").headers().firstValue("ETag").orElseThrow();
    put(node, path, TOKEN_A, "v2");
    HttpResponse<String> swap = put(node, path, TOKEN_A, "v3", "If-Match", stale);
    assertThat(swap.statusCode()).as("If-Match with an old ETag").isEqualTo(412);
    assertThat(get(node, path, TOKEN_A).body()).as("the current body is kept").isEqualTo("v2");
  }

  @Test
  void rangeFromTo206WithContentRange() {
    String path = task() + "digits.txt";
    put(node, path, TOKEN_A, "0123456789");
    HttpResponse<String> part = get(node, path, TOKEN_A, "Range", "bytes=2-5");
    assertThat(part.statusCode()).as("a satisfiable range").isEqualTo(206);
    assertThat(part.body()).as("bytes 2 to 5 inclusive").isEqualTo("2345");
    assertThat(part.headers().firstValue("Content-Range")).as("Content-Range").hasValue("bytes 2-5/10");
    assertThat(part.headers().firstValueAsLong("Content-Length")).as("Content-Length of the part").hasValue(4);
  }

  @Test
  void openEndedAndSuffixRangesReturnTheTail() {
    String path = task() + "digits.txt";
    put(node, path, TOKEN_A, "0123456789");
    assertThat(get(node, path, TOKEN_A, "Range", "bytes=7-").body()).as("bytes=7-").isEqualTo("789");
    assertThat(get(node, path, TOKEN_A, "Range", "bytes=-4").body()).as("bytes=-4").isEqualTo("6789");
  }

  @Test
  void rangeBeyondTheEndIs416WithTheSize() throws Exception {
    String path = task() + "digits.txt";
    put(node, path, TOKEN_A, "0123456789");
    for (String range : List.of("bytes=10-", "bytes=50-60")) {
      HttpResponse<String> miss = get(node, path, TOKEN_A, "Range", range);
      assertThat(miss.statusCode()).as("%s of a 10-byte object", range).isEqualTo(416);
      assertThat(json(miss).get("code").asText()).as("the error code").isEqualTo("range_not_satisfiable");
      assertThat(miss.headers().firstValue("Content-Range")).as("416 names the size").hasValue("bytes */10");
    }
  }

  @Test
  void malformedRangeIs400() throws Exception {
    String path = task() + "digits.txt";
    put(node, path, TOKEN_A, "0123456789");
    HttpResponse<String> bad = get(node, path, TOKEN_A, "Range", "bytes=5-2");
    assertThat(bad.statusCode()).as("a range ending before it starts").isEqualTo(400);
    assertThat(json(bad).get("code").asText()).as("the error code").isEqualTo("invalid_request");
  }

  @Test
  void listingPagesThroughEveryArtifactInOrder() throws Exception {
    String task = task();
    List<String> names = List.of("a.txt", "b/one.txt", "b/two.txt", "c.txt", "d.txt");
    for (String name : names) {
      put(node, task + name, TOKEN_A, name);
    }
    List<String> seen = new ArrayList<>();
    String next = "";
    int pages = 0;
    do {
      HttpResponse<String> page = get(node, task + "?limit=2&start_after=" + next, TOKEN_A);
      assertThat(page.statusCode()).as("a listing page: %s", page.body()).isEqualTo(200);
      JsonNode body = json(page);
      body.get("objects").forEach(o -> seen.add(o.get("name").asText()));
      assertThat(body.get("objects").size()).as("at most limit objects per page").isLessThanOrEqualTo(2);
      next = body.get("next").asText();
      pages++;
    } while (!next.isEmpty() && pages < 10);
    assertThat(seen).as("every artifact once, in order").containsExactlyElementsOf(names);
    assertThat(pages).as("five artifacts in pages of two").isEqualTo(3);
  }

  @Test
  void listingEntriesCarryTheObjectFields() throws Exception {
    String task = task();
    put(node, task + "x.txt", TOKEN_A, "xyz", "Content-Type", "text/plain");
    JsonNode entry = json(get(node, task, TOKEN_A)).get("objects").get(0);
    assertThat(entry.get("key").asText()).as("the full key").endsWith("/x.txt").startsWith("artifacts/acme/");
    assertThat(entry.get("name").asText()).as("the name within the task").isEqualTo("x.txt");
    assertThat(entry.get("size").asLong()).as("the size").isEqualTo(3);
    assertThat(entry.get("sha256").asText()).as("the digest")
        .isEqualTo(Digests.sha256Hex("xyz".getBytes(StandardCharsets.UTF_8)));
    assertThat(entry.has("version") && entry.has("last_modified") && entry.has("content_type"))
        .as("version, last_modified and content_type are listed: %s", entry).isTrue();
  }

  @Test
  void tagAndMetadataHeadersAreStoredAndReturned() {
    String path = task() + "tagged.txt";
    put(node, path, TOKEN_A, "t", "X-Grey-Tag-team", "storage", "X-Grey-Meta-build", "1234");
    HttpResponse<String> read = get(node, path, TOKEN_A);
    assertThat(read.headers().firstValue("X-Grey-Tag-team")).as("the caller's tag").hasValue("storage");
    assertThat(read.headers().firstValue("X-Grey-Tag-grey-tenant-id")).as("the cost tag of the tenant")
        .hasValue("acme");
    assertThat(read.headers().firstValue("X-Grey-Meta-build")).as("the user metadata").hasValue("1234");
  }

  @Test
  void chunkedUploadOfUnknownLengthIsStored() {
    String path = task() + "chunked.bin";
    byte[] body = "streamed without a length".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> stored = send(request(node, path, TOKEN_A)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
    assertThat(stored.statusCode()).as("a chunked PUT: %s", stored.body()).isEqualTo(200);
    assertThat(get(node, path, TOKEN_A).body()).as("the bytes").isEqualTo("streamed without a length");
  }

  @Test
  void unknownRouteIs404Json() throws Exception {
    HttpResponse<String> response = get(node, "/v2/nothing", TOKEN_A);
    assertThat(response.statusCode()).as("no such route").isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).as("a JSON body")
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(json(response).get("code").asText()).as("the error code").isEqualTo("not_found");
  }

  @Test
  void healthzSaysOk() throws Exception {
    HttpResponse<String> health = get(node, "/healthz", null);
    assertThat(health.statusCode()).as("health needs no token").isEqualTo(200);
    assertThat(json(health).get("status").asText()).as("the status").isEqualTo("ok");
  }

  @Test
  void metricsExposeTheCloudMetersAfterTraffic() {
    String path = task() + "metered.txt";
    put(node, path, TOKEN_A, "metered");
    get(node, path, TOKEN_A);
    put(node, path, TOKEN_A, "again", "If-None-Match", "*");
    HttpResponse<String> metrics = get(node, "/metrics", null);
    assertThat(metrics.statusCode()).as("the Prometheus scrape").isEqualTo(200);
    assertThat(metrics.body()).as("the Prometheus text after traffic")
        .contains("grey_cloud_api_duration_seconds")
        .contains("grey_cloud_api_errors_total")
        .contains("grey_cloud_storage_bytes")
        .contains("cloud=\"local\"");
  }
}
