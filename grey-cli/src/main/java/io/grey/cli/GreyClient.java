package io.grey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP client of Grey's API as the CLI uses it: one method per call, bodies streamed both ways, and every
 * error reply turned into the Grey error it stands for. Thread-safe (the JDK client is).
 */
final class GreyClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Credentials credentials;
  private final HttpClient http;

  GreyClient(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** What a finished upload reports: the server's reply body (may be empty) and the headers that matter. */
  record PutResult(JsonNode body, Optional<String> version, Optional<String> sha256) {}

  /**
   * Uploads {@code body} to {@code ref}; {@code headers} carry the condition, tags and content type. The body
   * publisher streams, so nothing is held in memory.
   */
  PutResult putArtifact(ArtifactRef ref, HttpRequest.BodyPublisher body, Map<String, String> headers) {
    // No overall timeout: the reply comes after the whole body, and a large body takes as long as it takes.
    HttpRequest.Builder request = authorized(artifactPath(ref)).PUT(body);
    headers.forEach(request::header);
    HttpResponse<InputStream> response = send(request.build(), ref.key().value());
    JsonNode reply = readJson(response);
    return new PutResult(reply,
        header(response, "ETag").map(GreyClient::unquote).or(() -> text(reply, "version")),
        header(response, "X-Grey-Sha256").or(() -> text(reply, "sha256")));
  }

  /**
   * Opens the body of {@code ref}, whole or the inclusive byte range {@code range} ({@code a-b}, {@code a-});
   * the caller reads and closes the stream.
   */
  HttpResponse<InputStream> getArtifact(ArtifactRef ref, Optional<String> range) {
    HttpRequest.Builder request = request(artifactPath(ref)).GET();
    range.ifPresent(r -> request.header("Range", "bytes=" + r));
    return send(request.build(), ref.key().value());
  }

  /** One page of the artifacts of {@code task} after the full key {@code startAfter} ("" from the start). */
  JsonNode listArtifacts(TaskRef task, String startAfter, int limit) {
    String path = "/v1/artifacts/" + segment(task.tenant().value()) + "/" + segment(task.task().value())
        + "/?start_after=" + query(startAfter) + "&limit=" + limit;
    return readJson(send(request(path).GET().build(), task.toString()));
  }

  /** Deletes {@code ref}; whether there was an artifact to delete. Idempotent. */
  boolean deleteArtifact(ArtifactRef ref) {
    return readJson(send(request(artifactPath(ref)).DELETE().build(), ref.key().value()))
        .path("deleted").asBoolean(true);
  }

  /** A presigned GET URL for {@code ref}: {@code {"url": ..., "expires_at": ...}}. */
  JsonNode presign(ArtifactRef ref, Duration ttl) {
    String path = artifactPath(ref) + "/presign?ttl=" + ttl.toSeconds();
    return readJson(send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), ref.key().value()));
  }

  /** Has the server sign and store a proof of {@code platform}/{@code measurement} for {@code task}. */
  JsonNode putProof(TaskRef task, String platform, String measurement) {
    ObjectNode claim = JSON.createObjectNode().put("platform", platform).put("measurement", measurement);
    HttpRequest request = request(proofPath(task))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(claim.toString(), StandardCharsets.UTF_8))
        .build();
    return readJson(send(request, task.toString()));
  }

  /** The proofs of {@code task}, each with the server's {@code verified} verdict. */
  JsonNode proofs(TaskRef task) {
    return readJson(send(request(proofPath(task)).GET().build(), task.toString()));
  }

  /** A request that must be answered (headers, for a download) within {@link #CALL_TIMEOUT}. */
  private HttpRequest.Builder request(String pathAndQuery) {
    return authorized(pathAndQuery).timeout(CALL_TIMEOUT);
  }

  private HttpRequest.Builder authorized(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(credentials.server() + pathAndQuery))
        .header("Authorization", "Bearer " + credentials.token());
  }

  /**
   * Sends {@code request} and returns the response of a 2xx; otherwise throws the Grey error of the reply.
   *
   * @throws StoreUnavailableException if the server cannot be reached or the exchange breaks off
   */
  private HttpResponse<InputStream> send(HttpRequest request, String subject) {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new StoreUnavailableException("cannot reach the server at " + credentials.server()
          + " (is `grey server` running?): connection refused", e);
    } catch (HttpTimeoutException e) {
      throw new StoreUnavailableException("the server at " + credentials.server() + " did not answer in time", e);
    } catch (IOException e) {
      throw new StoreUnavailableException("talking to the server at " + credentials.server() + " failed: "
          + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while talking to the server", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw errorOf(response, subject);
    }
    return response;
  }

  private static GreyException errorOf(HttpResponse<InputStream> response, String subject) {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "";
    }
    String code = "";
    String message = "";
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.isObject()) {
        code = json.path("code").asText("");
        message = json.path("message").asText("");
      }
    } catch (JsonProcessingException e) {
      // Not Grey's JSON (a proxy's page, say): the status decides.
      message = body.isBlank() ? "" : body.strip().lines().findFirst().orElse("");
    }
    if (message.isBlank() && response.statusCode() == 404) {
      message = subject;
    }
    return ExitCodes.fromServer(response.statusCode(), code, message);
  }

  private static JsonNode readJson(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return JSON.createObjectNode();
      }
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the server's reply is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new StoreUnavailableException("reading the server's reply failed: " + describe(e), e);
    }
  }

  static Optional<String> header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).filter(v -> !v.isBlank());
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() ? Optional.of(value.asText()) : Optional.empty();
  }

  static String unquote(String etag) {
    String value = etag.startsWith("W/") ? etag.substring(2) : etag;
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }

  static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String artifactPath(ArtifactRef ref) {
    StringBuilder path = new StringBuilder("/v1/artifacts/")
        .append(segment(ref.tenant().value())).append('/')
        .append(segment(ref.task().value()));
    for (String part : ref.name().value().split("/")) {
      path.append('/').append(segment(part));
    }
    return path.toString();
  }

  private static String proofPath(TaskRef task) {
    return "/v1/proofs/" + segment(task.tenant().value()) + "/" + segment(task.task().value());
  }

  /** Percent-encodes one path segment as UTF-8, leaving RFC 3986 unreserved characters as they are. */
  static String segment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String query(String value) {
    return segment(value);
  }
}
