package io.grey.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grey.core.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process server of the parts of the Google Cloud Storage JSON API that Grey's store and its tests use,
 * written from Google's published API reference, so that the official {@code google-cloud-storage} client can be
 * driven over real HTTP without Google. Listens on a free loopback port. Thread-safe.
 *
 * <p>Modelled: buckets (get, insert, patch/update with any fields such as {@code lifecycle}, delete); object
 * inserts by {@code uploadType=media}, {@code multipart} and {@code resumable} (session URI, chunked PUTs with
 * {@code Content-Range}, {@code 308} with {@code Range}, status queries, cancel); get of metadata and of media
 * ({@code alt=media}, also under {@code /download/storage/v1}) with {@code Range}; list with {@code prefix},
 * {@code delimiter}/{@code prefixes}, {@code startOffset}/{@code endOffset}, {@code maxResults} and
 * {@code pageToken}, in UTF-8 byte order; delete; patch/update of metadata (metageneration); rewrite and copy;
 * generation numbers; {@code ifGenerationMatch}/{@code ifGenerationNotMatch}/{@code ifMetagenerationMatch}/
 * {@code ifMetagenerationNotMatch} (generation 0 = must not exist), evaluated atomically with the write under
 * the bucket's lock; {@code md5Hash} and {@code crc32c} computed for every body and checked against values the
 * client sends; {@code kmsKeyName} recorded and returned; storage classes; Google's JSON error shape with its
 * status codes (400, 401, 403, 404, 409, 412, 416, and 429/503 when {@link #failNext injected}); OAuth tokens for
 * the test service account and V4 signed URLs ({@code GOOG4-RSA-SHA256}) checked against its public key.
 *
 * <p>Not modelled: ACLs and IAM (any bearer token it issued, or none, may do anything), object versioning
 * (replaced generations are gone), holds and retention, compose, notifications, HMAC keys, the XML API other
 * than signed URLs, lifecycle execution (rules are stored, never run), and the 256 KiB multiple rule for
 * non-final resumable chunks.
 */
public final class GcsEmulator implements AutoCloseable {
  /** The project buckets are created in. */
  public static final String PROJECT = "grey-emulated";
  /** The e-mail of the test service account whose key signs URLs and OAuth assertions. */
  public static final String SERVICE_ACCOUNT = "grey-test@grey-emulated.iam.gserviceaccount.com";
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GOOG_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final Set<String> OBJECT_FIELDS = Set.of("contentType", "contentEncoding", "contentDisposition",
      "contentLanguage", "cacheControl", "customTime");

  private static final boolean TRACE = Boolean.getBoolean("grey.gcs.emulator.trace");
  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService threads;
  private final Path bodies;
  private final Clock clock;
  private final KeyPair key = newKeyPair();
  private final String keyId = UUID.randomUUID().toString().replace("-", "");
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Integer> injected = new ConcurrentLinkedQueue<>();
  private final AtomicLong generations;
  private final AtomicLong requests = new AtomicLong();

  private GcsEmulator(Path bodies, Clock clock) throws IOException {
    this.bodies = bodies;
    this.clock = clock;
    this.generations = new AtomicLong(ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant()));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts an emulator holding bodies in memory, on the system clock. */
  public static GcsEmulator start() {
    return start(null, Clock.systemUTC());
  }

  /**
   * Starts an emulator keeping bodies in files under {@code bodiesDir} (in memory when null), on {@code clock}
   * (which dates objects and judges signed URL expiry).
   */
  public static GcsEmulator start(Path bodiesDir, Clock clock) {
    try {
      if (bodiesDir != null) {
        Files.createDirectories(bodiesDir);
      }
      return new GcsEmulator(bodiesDir, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL to give the client as its host, for example {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Creates an empty bucket (idempotent). */
  public void createBucket(String name) {
    buckets.computeIfAbsent(name, n -> new Bucket(n, clock.instant()));
  }

  /** A fresh bucket with a unique name. */
  public String newBucket() {
    String name = "grey-" + UUID.randomUUID().toString().substring(0, 13);
    createBucket(name);
    return name;
  }

  /** The bucket's resource as the JSON API returns it (with any lifecycle a patch stored), if it exists. */
  public Optional<JsonNode> bucketResource(String bucket) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return Optional.empty();
    }
    synchronized (b) {
      return Optional.of(b.resource());
    }
  }

  /** The current object resource of {@code name}, as a metadata GET would return it. */
  public Optional<JsonNode> objectResource(String bucket, String name) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return Optional.empty();
    }
    synchronized (b) {
      Obj o = b.objects.get(name);
      return o == null ? Optional.empty() : Optional.of(resource(b.name, o));
    }
  }

  /** The names of every object of {@code bucket}, in listing order. */
  public List<String> objectNames(String bucket) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return List.of();
    }
    synchronized (b) {
      return List.copyOf(b.objects.keySet());
    }
  }

  /** The number of resumable sessions begun and neither finished nor cancelled. */
  public int openSessions() {
    return (int) sessions.values().stream().filter(s -> s.result == null && !s.cancelled).count();
  }

  /** How many HTTP requests the emulator has answered. */
  public long requestCount() {
    return requests.get();
  }

  /**
   * Flips the first byte of the stored body of {@code name} without touching its recorded hashes, as bit rot
   * would; false if there is no such non-empty object.
   */
  public boolean corruptBody(String bucket, String name) {
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return false;
    }
    synchronized (b) {
      Obj o = b.objects.get(name);
      if (o == null || o.body.size() == 0) {
        return false;
      }
      try {
        b.objects.put(name, o.withBody(o.body.corrupted(bodies == null
            ? Files.createTempDirectory("gcs-corrupt") : bodies)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return true;
    }
  }

  /**
   * Answers the next {@code count} JSON API requests (not OAuth token or signed URL requests) with {@code status}:
   * 429 for throttling, 503 for an outage, 403 for a refused permission.
   */
  public void failNext(int status, int count) {
    for (int i = 0; i < count; i++) {
      injected.add(status);
    }
  }

  /**
   * The test service account's key file in Google's JSON format: its private key signs URLs and OAuth assertions,
   * and its token URI is this emulator. A test key valid only here.
   */
  public String serviceAccountKeyJson() {
    ObjectNode node = json.createObjectNode();
    node.put("type", "service_account");
    node.put("project_id", PROJECT);
    node.put("private_key_id", keyId);
    String pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getPrivate().getEncoded());
    node.put("private_key", "-----BEGIN PRIVATE KEY-----\n" + pem + "\n-----END PRIVATE KEY-----\n");
    node.put("client_email", SERVICE_ACCOUNT);
    node.put("client_id", "100000000000000000001");
    node.put("auth_uri", endpoint() + "/o/oauth2/auth");
    node.put("token_uri", endpoint() + "/token");
    return node.toPrettyString();
  }

  /** Writes {@link #serviceAccountKeyJson()} to {@code file} and returns it. */
  public Path writeServiceAccountKey(Path file) {
    try {
      Files.writeString(file, serviceAccountKeyJson());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  // ---------------------------------------------------------------- model

  private final class Bucket {
    final String name;
    final Instant created;
    final TreeMap<String, Obj> objects = new TreeMap<>(ObjectKey.LEXICOGRAPHIC);
    final ObjectNode extra = json.createObjectNode();
    long metageneration = 1;
    Instant updated;

    Bucket(String name, Instant created) {
      this.name = name;
      this.created = created;
      this.updated = created;
      extra.put("location", "US");
      extra.put("storageClass", "STANDARD");
    }

    ObjectNode resource() {
      ObjectNode node = json.createObjectNode();
      node.put("kind", "storage#bucket");
      node.put("id", name);
      node.put("selfLink", endpoint() + "/storage/v1/b/" + name);
      node.put("name", name);
      node.put("projectNumber", "100000000001");
      node.put("metageneration", Long.toString(metageneration));
      node.put("timeCreated", RFC3339.format(created));
      node.put("updated", RFC3339.format(updated));
      node.put("etag", "C" + metageneration);
      node.setAll(extra.deepCopy());
      return node;
    }
  }

  private record Obj(String name, long generation, long metageneration, GcsBody body, String md5, String crc32c,
      String storageClass, String kmsKeyName, Instant created, Instant updated, ObjectNode fields,
      Map<String, String> metadata) {
    Obj withBody(GcsBody newBody) {
      return new Obj(name, generation, metageneration, newBody, md5, crc32c, storageClass, kmsKeyName, created,
          updated, fields, metadata);
    }
  }

  /** One resumable upload session. */
  private static final class Session {
    final String bucket;
    final ObjectNode metadata;
    final Map<String, String> params;
    final GcsBody.Sink sink;
    final String contentType;
    Obj result;
    boolean cancelled;

    Session(String bucket, ObjectNode metadata, Map<String, String> params, GcsBody.Sink sink, String contentType) {
      this.bucket = bucket;
      this.metadata = metadata;
      this.params = params;
      this.sink = sink;
      this.contentType = contentType;
    }
  }

  /** A failure answered in Google's JSON error shape. */
  private static final class ApiError extends RuntimeException {
    final int status;
    final String reason;

    ApiError(int status, String reason, String message) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  private static ApiError notFound(String what) {
    return new ApiError(404, "notFound", "No such object: " + what);
  }

  private static ApiError conditionNotMet() {
    return new ApiError(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
  }

  private static ApiError invalid(String message) {
    return new ApiError(400, "invalid", message);
  }

  // ---------------------------------------------------------------- dispatch

  private void handle(HttpExchange ex) {
    requests.incrementAndGet();
    try {
      String path = ex.getRequestURI().getRawPath();
      boolean api = path.startsWith("/storage/") || path.startsWith("/upload/") || path.startsWith("/download/");
      Integer fault = api ? injected.poll() : null;
      if (fault != null) {
        drain(ex.getRequestBody());
        String reason = switch (fault) {
          case 429 -> "rateLimitExceeded";
          case 403 -> "forbidden";
          default -> "backendError";
        };
        throw new ApiError(fault, reason, "Injected failure " + fault + ".");
      }
      route(ex);
    } catch (ApiError e) {
      if (TRACE) {
        System.err.println("gcs-emulator: -> " + e.status + " " + e.getMessage());
      }
      sendError(ex, e.status, e.reason, e.getMessage());
    } catch (RuntimeException | IOException e) {
      // An IOException is usually a client that went away; the answer is then lost, which is fine.
      sendError(ex, 500, "backendError", "emulator failure: " + e);
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    String method = ex.getRequestMethod();
    // The Java client tunnels PATCH through POST, as HttpURLConnection cannot send PATCH.
    String override = ex.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    if (override != null && method.equals("POST")) {
      method = override.toUpperCase(java.util.Locale.ROOT);
    }
    if (TRACE) {
      System.err.println("gcs-emulator: " + method + " " + ex.getRequestURI() + " "
          + ex.getRequestHeaders().entrySet());
    }
    if (path.equals("/token")) {
      token(ex);
      return;
    }
    if (path.startsWith("/download/storage/v1/")) {
      path = path.substring("/download".length());
    }
    if (path.startsWith("/storage/v1/") || path.startsWith("/upload/storage/v1/")) {
      authorize(ex);
    }
    if (path.startsWith("/upload/storage/v1/b/")) {
      List<String> seg = segments(path.substring("/upload/storage/v1/".length()));
      if (seg.size() == 3 && seg.get(2).equals("o")) {
        upload(ex, seg.get(1), method, query);
        return;
      }
      throw new ApiError(404, "notFound", "Not Found");
    }
    if (path.startsWith("/storage/v1/")) {
      api(ex, segments(path.substring("/storage/v1/".length())), method, query);
      return;
    }
    signedUrl(ex, path, query);
  }

  private void api(HttpExchange ex, List<String> seg, String method, Map<String, String> q) throws IOException {
    if (seg.isEmpty() || !seg.getFirst().equals("b")) {
      throw new ApiError(404, "notFound", "Not Found");
    }
    if (seg.size() == 1) {
      if (method.equals("POST")) {
        insertBucket(ex);
        return;
      }
      throw new ApiError(405, "methodNotAllowed", "bucket listing is not modelled");
    }
    Bucket bucket = seg.size() >= 2 ? buckets.get(seg.get(1)) : null;
    if (seg.size() == 2) {
      bucketCall(ex, seg.get(1), bucket, method);
      return;
    }
    if (bucket == null) {
      throw new ApiError(404, "notFound", "The specified bucket does not exist.");
    }
    if (seg.size() == 3 && seg.get(2).equals("o") && method.equals("GET")) {
      list(ex, bucket, q);
      return;
    }
    if (seg.size() == 4 && seg.get(2).equals("o")) {
      String name = seg.get(3);
      switch (method) {
        case "GET" -> getObject(ex, bucket, name, q);
        case "DELETE" -> deleteObject(ex, bucket, name, q);
        case "PATCH" -> patchObject(ex, bucket, name, q, true);
        case "PUT" -> patchObject(ex, bucket, name, q, false);
        default -> throw new ApiError(405, "methodNotAllowed", method + " is not allowed here");
      }
      return;
    }
    if (seg.size() == 9 && seg.get(2).equals("o") && (seg.get(4).equals("rewriteTo") || seg.get(4).equals("copyTo"))
        && method.equals("POST")) {
      Bucket target = buckets.get(seg.get(6));
      if (target == null) {
        throw new ApiError(404, "notFound", "The destination bucket does not exist.");
      }
      rewrite(ex, bucket, seg.get(3), target, seg.get(8), q, seg.get(4).equals("rewriteTo"));
      return;
    }
    throw new ApiError(404, "notFound", "Not Found");
  }

  // ---------------------------------------------------------------- auth

  private void token(HttpExchange ex) throws IOException {
    Map<String, String> form = query(new String(requestBody(ex).readAllBytes(), StandardCharsets.UTF_8));
    String assertion = form.getOrDefault("assertion", "");
    if (!validJwt(assertion)) {
      ObjectNode error = json.createObjectNode();
      error.put("error", "invalid_grant");
      error.put("error_description", "Invalid JWT Signature.");
      send(ex, 400, error);
      return;
    }
    String token = "ya29.emulated-" + UUID.randomUUID();
    tokens.add(token);
    ObjectNode node = json.createObjectNode();
    node.put("access_token", token);
    node.put("expires_in", 3599);
    node.put("token_type", "Bearer");
    send(ex, 200, node);
  }

  /** No credentials pass (as for a public emulator); a bearer token must be one issued here or a signed JWT. */
  private void authorize(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      return;
    }
    String token = header.startsWith("Bearer ") ? header.substring(7).strip() : "";
    if (!tokens.contains(token) && !validJwt(token)) {
      throw new ApiError(401, "authError", "Invalid Credentials");
    }
  }

  private boolean validJwt(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key.getPublic());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return false;
      }
      JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return SERVICE_ACCOUNT.equals(claims.path("iss").asText())
          && claims.path("exp").asLong() >= clock.instant().getEpochSecond();
    } catch (Exception e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- buckets

  private void insertBucket(HttpExchange ex) throws IOException {
    JsonNode body = readJson(ex);
    String name = body.path("name").asText("");
    if (!name.matches("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]")) {
      throw invalid("Invalid bucket name: '" + name + "'");
    }
    Bucket created = new Bucket(name, clock.instant());
    if (buckets.putIfAbsent(name, created) != null) {
      throw new ApiError(409, "conflict",
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    synchronized (created) {
      mergeBucket(created, body);
      send(ex, 200, created.resource());
    }
  }

  private void bucketCall(HttpExchange ex, String name, Bucket bucket, String method) throws IOException {
    if (bucket == null) {
      drain(ex.getRequestBody());
      throw new ApiError(404, "notFound", "The specified bucket does not exist.");
    }
    switch (method) {
      case "GET" -> {
        synchronized (bucket) {
          send(ex, 200, bucket.resource());
        }
      }
      case "PATCH", "PUT" -> {
        JsonNode body = readJson(ex);
        synchronized (bucket) {
          if (method.equals("PUT")) {
            bucket.extra.removeAll();
          }
          mergeBucket(bucket, body);
          bucket.metageneration++;
          bucket.updated = clock.instant();
          send(ex, 200, bucket.resource());
        }
      }
      case "DELETE" -> {
        synchronized (bucket) {
          if (!bucket.objects.isEmpty()) {
            throw new ApiError(409, "conflict", "The bucket you tried to delete is not empty.");
          }
          buckets.remove(name);
        }
        sendEmpty(ex, 204);
      }
      default -> throw new ApiError(405, "methodNotAllowed", method + " is not allowed here");
    }
  }

  private static void mergeBucket(Bucket bucket, JsonNode body) {
    body.fields().forEachRemaining(e -> {
      switch (e.getKey()) {
        case "name", "id", "kind", "metageneration", "timeCreated", "updated", "etag", "projectNumber",
             "selfLink" -> { }
        default -> {
          if (e.getValue().isNull()) {
            bucket.extra.remove(e.getKey());
          } else {
            bucket.extra.set(e.getKey(), e.getValue());
          }
        }
      }
    });
  }

  // ---------------------------------------------------------------- uploads

  private void upload(HttpExchange ex, String bucketName, String method, Map<String, String> q) throws IOException {
    Bucket bucket = buckets.get(bucketName);
    String type = q.getOrDefault("uploadType", "");
    if (bucket == null) {
      drain(ex.getRequestBody());
      throw new ApiError(404, "notFound", "The specified bucket does not exist.");
    }
    if (type.equals("resumable") && q.containsKey("upload_id")) {
      switch (method) {
        case "PUT", "POST" -> resumableChunk(ex, q.get("upload_id"));
        case "DELETE" -> {
          Session s = sessions.get(q.get("upload_id"));
          if (s != null) {
            synchronized (s) {
              s.cancelled = true;
              s.sink.discard();
            }
          }
          sendError(ex, 499, "clientClosedRequest", "Upload cancelled.");
        }
        default -> throw new ApiError(405, "methodNotAllowed", method + " is not allowed here");
      }
      return;
    }
    if (!method.equals("POST")) {
      throw new ApiError(405, "methodNotAllowed", method + " is not allowed here");
    }
    switch (type) {
      case "media" -> {
        String name = q.getOrDefault("name", "");
        ObjectNode meta = json.createObjectNode();
        meta.put("name", name);
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
          meta.put("contentType", contentType);
        }
        GcsBody.Sink sink = new GcsBody.Sink(bodies);
        sink.copy(requestBody(ex), 0);
        send(ex, 200, resource(bucket.name, commit(bucket, meta, sink, q)));
      }
      case "multipart" -> multipart(ex, bucket, q);
      case "resumable" -> {
        JsonNode body = readJson(ex);
        ObjectNode meta = body.isObject() ? (ObjectNode) body : json.createObjectNode();
        if (!meta.hasNonNull("name") && q.containsKey("name")) {
          meta.put("name", q.get("name"));
        }
        checkName(meta.path("name").asText(""));
        String id = UUID.randomUUID().toString().replace("-", "");
        String contentType = ex.getRequestHeaders().getFirst("X-Upload-Content-Type");
        sessions.put(id, new Session(bucket.name, meta, q, new GcsBody.Sink(bodies), contentType));
        String host = ex.getRequestHeaders().getFirst("Host");
        ex.getResponseHeaders().add("Location", "http://" + (host == null ? endpoint().getAuthority() : host)
            + "/upload/storage/v1/b/" + bucket.name + "/o?uploadType=resumable&upload_id=" + id);
        sendEmpty(ex, 200);
      }
      default -> throw invalid("Unknown uploadType '" + type + "'");
    }
  }

  private void resumableChunk(HttpExchange ex, String id) throws IOException {
    Session s = sessions.get(id);
    if (s == null) {
      drain(ex.getRequestBody());
      throw new ApiError(404, "notFound", "No such upload session.");
    }
    synchronized (s) {
      if (s.cancelled) {
        drain(ex.getRequestBody());
        throw new ApiError(410, "gone", "The upload session was cancelled.");
      }
      if (s.result != null) {
        drain(ex.getRequestBody());
        send(ex, 200, resource(s.bucket, s.result));
        return;
      }
      String header = ex.getRequestHeaders().getFirst("Content-Range");
      long received = s.sink.size();
      long total = -1;
      if (header != null) {
        Matcher m = CONTENT_RANGE.matcher(header.strip());
        if (!m.matches()) {
          drain(ex.getRequestBody());
          throw invalid("Malformed Content-Range '" + header + "'");
        }
        total = m.group(4).equals("*") ? -1 : Long.parseLong(m.group(4));
        if (m.group(2) != null) {
          long first = Long.parseLong(m.group(2));
          if (first > received) {
            drain(ex.getRequestBody());
            throw invalid("Chunk starts at " + first + " but only " + received + " bytes were persisted");
          }
          s.sink.copy(requestBody(ex), received - first);
        } else {
          drain(ex.getRequestBody());
        }
      } else {
        s.sink.copy(requestBody(ex), 0);
        total = s.sink.size();
      }
      long size = s.sink.size();
      if (total >= 0 && size > total) {
        throw invalid("Received " + size + " bytes for an upload declared as " + total);
      }
      if (total >= 0 && size == total) {
        Bucket bucket = buckets.get(s.bucket);
        if (bucket == null) {
          throw new ApiError(404, "notFound", "The specified bucket does not exist.");
        }
        if (s.contentType != null && !s.metadata.hasNonNull("contentType")) {
          s.metadata.put("contentType", s.contentType);
        }
        try {
          s.result = commit(bucket, s.metadata, s.sink, s.params);
        } catch (ApiError e) {
          s.cancelled = true;
          throw e;
        }
        send(ex, 200, resource(s.bucket, s.result));
        return;
      }
      if (size > 0) {
        ex.getResponseHeaders().add("Range", "bytes=0-" + (size - 1));
      }
      ex.getResponseHeaders().add("X-GUploader-UploadID", id);
      sendEmpty(ex, 308);
    }
  }

  private void multipart(HttpExchange ex, Bucket bucket, Map<String, String> q) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type == null ? "" : type);
    if (!m.find()) {
      drain(ex.getRequestBody());
      throw invalid("multipart upload without a boundary");
    }
    byte[] all = requestBody(ex).readAllBytes();
    List<byte[]> parts = splitMultipart(all, m.group(1));
    if (parts.size() != 2) {
      throw invalid("multipart upload needs a metadata part and a media part, got " + parts.size());
    }
    Part metaPart = part(parts.get(0));
    Part media = part(parts.get(1));
    ObjectNode meta = (ObjectNode) json.readTree(metaPart.body);
    if (TRACE) {
      System.err.println("gcs-emulator: multipart metadata " + meta);
    }
    if (!meta.hasNonNull("contentType") && media.contentType != null) {
      meta.put("contentType", media.contentType);
    }
    if (!meta.hasNonNull("name") && q.containsKey("name")) {
      meta.put("name", q.get("name"));
    }
    GcsBody.Sink sink = new GcsBody.Sink(bodies);
    sink.write(media.body, 0, media.body.length);
    send(ex, 200, resource(bucket.name, commit(bucket, meta, sink, q)));
  }

  private record Part(String contentType, byte[] body) {}

  private static Part part(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    String headers = split < 0 ? "" : text.substring(0, split);
    byte[] body = split < 0 ? raw : java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
    String contentType = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Type")) {
        contentType = line.substring(colon + 1).strip();
      }
    }
    return new Part(contentType, body);
  }

  private static List<byte[]> splitMultipart(byte[] all, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + delimiter.length <= all.length; i++) {
      if (matchesAt(all, i, delimiter)) {
        starts.add(i);
        i += delimiter.length - 1;
      }
    }
    List<byte[]> parts = new ArrayList<>();
    for (int k = 0; k + 1 < starts.size(); k++) {
      int from = starts.get(k) + delimiter.length;
      if (from + 1 < all.length && all[from] == '\r' && all[from + 1] == '\n') {
        from += 2;
      }
      int to = starts.get(k + 1);
      if (to >= 2 && all[to - 2] == '\r' && all[to - 1] == '\n') {
        to -= 2;
      }
      parts.add(java.util.Arrays.copyOfRange(all, from, Math.max(from, to)));
    }
    return parts;
  }

  private static boolean matchesAt(byte[] all, int at, byte[] what) {
    for (int j = 0; j < what.length; j++) {
      if (all[at + j] != what[j]) {
        return false;
      }
    }
    return true;
  }

  /** Makes the uploaded body the object's new generation if the preconditions hold, atomically. */
  private Obj commit(Bucket bucket, ObjectNode meta, GcsBody.Sink sink, Map<String, String> q) throws IOException {
    String name = meta.path("name").asText("");
    try {
      checkName(name);
      String md5 = sink.md5Base64();
      String crc = sink.crc32cBase64();
      if (meta.hasNonNull("md5Hash") && !meta.get("md5Hash").asText().equals(md5)) {
        throw invalid("Provided MD5 hash \"" + meta.get("md5Hash").asText()
            + "\" doesn't match calculated MD5 hash \"" + md5 + "\".");
      }
      if (meta.hasNonNull("crc32c") && !meta.get("crc32c").asText().equals(crc)) {
        throw invalid("Provided CRC32C \"" + meta.get("crc32c").asText()
            + "\" doesn't match calculated CRC32C \"" + crc + "\".");
      }
      GcsBody body = sink.finish();
      String kms = q.getOrDefault("kmsKeyName", meta.path("kmsKeyName").asText(""));
      synchronized (bucket) {
        Obj current = bucket.objects.get(name);
        checkWrite(current, q, "");
        Instant now = clock.instant();
        Obj created = new Obj(name, generations.incrementAndGet(), 1, body, md5, crc,
            meta.path("storageClass").asText(bucket.extra.path("storageClass").asText("STANDARD")),
            versioned(kms), now, now, objectFields(meta), metadataOf(meta.get("metadata")));
        bucket.objects.put(name, created);
        return created;
      }
    } catch (IOException | RuntimeException e) {
      sink.discard();
      throw e;
    }
  }

  private static String versioned(String kms) {
    return kms.isEmpty() || kms.contains("/cryptoKeyVersions/") ? kms : kms + "/cryptoKeyVersions/1";
  }

  private ObjectNode objectFields(JsonNode meta) {
    ObjectNode fields = json.createObjectNode();
    for (String f : OBJECT_FIELDS) {
      if (meta != null && meta.hasNonNull(f)) {
        fields.set(f, meta.get(f));
      }
    }
    if (!fields.has("contentType")) {
      fields.put("contentType", "application/octet-stream");
    }
    return fields;
  }

  private static Map<String, String> metadataOf(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    return out;
  }

  private static void checkName(String name) {
    if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 1024 || name.contains("\r")
        || name.contains("\n")) {
      throw new ApiError(400, "required", "Object name must be 1-1024 bytes of UTF-8 without CR or LF.");
    }
  }

  /** Precondition checks of a write ({@code prefix} "" for the target, "Source" for a rewrite's source). */
  private static void checkWrite(Obj current, Map<String, String> q, String prefix) {
    String genMatch = q.get("if" + prefix + "GenerationMatch");
    if (genMatch != null) {
      long g = parseLong(genMatch);
      if (g == 0 ? current != null : current == null || current.generation != g) {
        throw conditionNotMet();
      }
    }
    String genNot = q.get("if" + prefix + "GenerationNotMatch");
    if (genNot != null) {
      long g = parseLong(genNot);
      if (g == 0 ? current == null : current != null && current.generation == g) {
        throw conditionNotMet();
      }
    }
    String metaMatch = q.get("if" + prefix + "MetagenerationMatch");
    if (metaMatch != null && (current == null || current.metageneration != parseLong(metaMatch))) {
      throw conditionNotMet();
    }
    String metaNot = q.get("if" + prefix + "MetagenerationNotMatch");
    if (metaNot != null && current != null && current.metageneration == parseLong(metaNot)) {
      throw conditionNotMet();
    }
  }

  /** Precondition checks of a read of an existing object: NotMatch failures are 304, Match failures 412. */
  private static void checkRead(Obj current, Map<String, String> q) {
    String genMatch = q.get("ifGenerationMatch");
    if (genMatch != null && current.generation != parseLong(genMatch)) {
      throw conditionNotMet();
    }
    String metaMatch = q.get("ifMetagenerationMatch");
    if (metaMatch != null && current.metageneration != parseLong(metaMatch)) {
      throw conditionNotMet();
    }
    String genNot = q.get("ifGenerationNotMatch");
    String metaNot = q.get("ifMetagenerationNotMatch");
    if ((genNot != null && current.generation == parseLong(genNot))
        || (metaNot != null && current.metageneration == parseLong(metaNot))) {
      throw new ApiError(304, "notModified", "Not Modified");
    }
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw invalid("Invalid value '" + text + "': expected an int64");
    }
  }

  // ---------------------------------------------------------------- objects

  private Obj current(Bucket bucket, String name, Map<String, String> q) {
    Obj o = bucket.objects.get(name);
    if (o == null || (q.containsKey("generation") && o.generation != parseLong(q.get("generation")))) {
      throw notFound(bucket.name + "/" + name);
    }
    return o;
  }

  private void getObject(HttpExchange ex, Bucket bucket, String name, Map<String, String> q) throws IOException {
    Obj o;
    synchronized (bucket) {
      o = current(bucket, name, q);
      checkRead(o, q);
    }
    if ("media".equals(q.get("alt"))) {
      serveMedia(ex, o, ex.getRequestHeaders().getFirst("Range"), true);
    } else {
      send(ex, 200, resource(bucket.name, o));
    }
  }

  private void serveMedia(HttpExchange ex, Obj o, String range, boolean jsonErrors) throws IOException {
    long size = o.body.size();
    long first = 0;
    long last = size - 1;
    boolean partial = false;
    if (range != null && size > 0) {
      Matcher m = RANGE.matcher(range.strip());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        if (m.group(1).isEmpty()) {
          first = Math.max(0, size - Long.parseLong(m.group(2)));
        } else {
          first = Long.parseLong(m.group(1));
          if (!m.group(2).isEmpty()) {
            last = Math.min(last, Long.parseLong(m.group(2)));
          }
        }
        if (first >= size || first > last) {
          ex.getResponseHeaders().add("Content-Range", "bytes */" + size);
          if (jsonErrors) {
            throw new ApiError(416, "requestedRangeNotSatisfiable", "Request range not satisfiable");
          }
          sendXmlError(ex, 416, "InvalidRange", "The requested range cannot be satisfied.");
          return;
        }
        partial = true;
      }
    }
    var h = ex.getResponseHeaders();
    h.add("Content-Type", o.fields.path("contentType").asText("application/octet-stream"));
    h.add("x-goog-generation", Long.toString(o.generation));
    h.add("x-goog-metageneration", Long.toString(o.metageneration));
    h.add("x-goog-stored-content-length", Long.toString(size));
    h.add("x-goog-stored-content-encoding", "identity");
    h.add("x-goog-storage-class", o.storageClass);
    h.add("x-goog-hash", "crc32c=" + o.crc32c);
    h.add("x-goog-hash", "md5=" + o.md5);
    h.add("ETag", "\"" + etag(o) + "\"");
    h.add("Accept-Ranges", "bytes");
    h.add("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(o.updated.atOffset(ZoneOffset.UTC)));
    long length = size == 0 ? 0 : last - first + 1;
    if (partial) {
      h.add("Content-Range", "bytes " + first + "-" + last + "/" + size);
    }
    if (ex.getRequestMethod().equals("HEAD") || length == 0) {
      ex.sendResponseHeaders(partial ? 206 : 200, -1);
      return;
    }
    ex.sendResponseHeaders(partial ? 206 : 200, length);
    try (InputStream in = o.body.open(first, length); OutputStream out = ex.getResponseBody()) {
      in.transferTo(out);
    }
  }

  private void deleteObject(HttpExchange ex, Bucket bucket, String name, Map<String, String> q) throws IOException {
    synchronized (bucket) {
      Obj o = current(bucket, name, q);
      checkWrite(o, q, "");
      bucket.objects.remove(name);
    }
    sendEmpty(ex, 204);
  }

  private void patchObject(HttpExchange ex, Bucket bucket, String name, Map<String, String> q, boolean patch)
      throws IOException {
    JsonNode body = readJson(ex);
    synchronized (bucket) {
      Obj o = current(bucket, name, q);
      checkWrite(o, q, "");
      Map<String, String> metadata = patch ? new LinkedHashMap<>(o.metadata) : new LinkedHashMap<>();
      JsonNode md = body.get("metadata");
      if (md != null && md.isNull()) {
        metadata.clear();
      } else if (md != null && md.isObject()) {
        md.fields().forEachRemaining(e -> {
          if (e.getValue().isNull()) {
            metadata.remove(e.getKey());
          } else {
            metadata.put(e.getKey(), e.getValue().asText());
          }
        });
      }
      ObjectNode fields = patch ? o.fields.deepCopy() : json.createObjectNode();
      for (String f : OBJECT_FIELDS) {
        if (body.has(f)) {
          if (body.get(f).isNull()) {
            fields.remove(f);
          } else {
            fields.set(f, body.get(f));
          }
        }
      }
      if (!fields.has("contentType")) {
        fields.put("contentType", "application/octet-stream");
      }
      Obj updated = new Obj(o.name, o.generation, o.metageneration + 1, o.body, o.md5, o.crc32c, o.storageClass,
          o.kmsKeyName, o.created, clock.instant(), fields, metadata);
      bucket.objects.put(name, updated);
      send(ex, 200, resource(bucket.name, updated));
    }
  }

  private void rewrite(HttpExchange ex, Bucket source, String sourceName, Bucket target, String targetName,
      Map<String, String> q, boolean isRewrite) throws IOException {
    JsonNode body = readJson(ex);
    checkName(targetName);
    Obj from;
    synchronized (source) {
      Obj o = source.objects.get(sourceName);
      if (o == null || (q.containsKey("sourceGeneration") && o.generation != parseLong(q.get("sourceGeneration")))) {
        throw notFound(source.name + "/" + sourceName);
      }
      checkWrite(o, q, "Source");
      from = o;
    }
    boolean hasMeta = body.isObject() && body.size() > 0;
    Obj written;
    synchronized (target) {
      Obj current = target.objects.get(targetName);
      checkWrite(current, q, "");
      Instant now = clock.instant();
      String kms = q.getOrDefault("destinationKmsKeyName", hasMeta ? body.path("kmsKeyName").asText("") : "");
      written = new Obj(targetName, generations.incrementAndGet(), 1, from.body, from.md5, from.crc32c,
          hasMeta && body.hasNonNull("storageClass") ? body.get("storageClass").asText() : from.storageClass,
          kms.isEmpty() ? from.kmsKeyName : versioned(kms), now, now,
          hasMeta ? objectFields(body) : from.fields.deepCopy(),
          hasMeta ? metadataOf(body.get("metadata")) : new LinkedHashMap<>(from.metadata));
      target.objects.put(targetName, written);
    }
    if (!isRewrite) {
      send(ex, 200, resource(target.name, written));
      return;
    }
    ObjectNode response = json.createObjectNode();
    response.put("kind", "storage#rewriteResponse");
    response.put("totalBytesRewritten", Long.toString(written.body.size()));
    response.put("objectSize", Long.toString(written.body.size()));
    response.put("done", true);
    response.set("resource", resource(target.name, written));
    send(ex, 200, response);
  }

  private void list(HttpExchange ex, Bucket bucket, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.getOrDefault("delimiter", "");
    String startOffset = q.getOrDefault("startOffset", "");
    String endOffset = q.getOrDefault("endOffset", "");
    int max = q.containsKey("maxResults") ? (int) Math.min(1000, Math.max(1, parseLong(q.get("maxResults")))) : 1000;
    String afterName = "";
    String afterPrefix = "";
    if (q.containsKey("pageToken")) {
      String token = new String(Base64.getUrlDecoder().decode(q.get("pageToken")), StandardCharsets.UTF_8);
      if (token.startsWith("n:")) {
        afterName = token.substring(2);
      } else if (token.startsWith("p:")) {
        afterPrefix = token.substring(2);
      } else {
        throw invalid("Invalid pageToken");
      }
    }
    ArrayNode items = json.createArrayNode();
    ArrayNode prefixes = json.createArrayNode();
    String next = null;
    synchronized (bucket) {
      String from = prefix;
      if (ObjectKey.LEXICOGRAPHIC.compare(startOffset, from) > 0) {
        from = startOffset;
      }
      if (!afterPrefix.isEmpty() && ObjectKey.LEXICOGRAPHIC.compare(afterPrefix, from) > 0) {
        from = afterPrefix;
      }
      int count = 0;
      String lastPrefix = null;
      String lastEmitted = null;
      for (Obj o : bucket.objects.tailMap(from, true).values()) {
        String name = o.name;
        if (!name.startsWith(prefix)) {
          break;
        }
        if (!endOffset.isEmpty() && ObjectKey.LEXICOGRAPHIC.compare(name, endOffset) >= 0) {
          break;
        }
        if (!afterName.isEmpty() && ObjectKey.LEXICOGRAPHIC.compare(name, afterName) <= 0) {
          continue;
        }
        if (!afterPrefix.isEmpty() && name.startsWith(afterPrefix)) {
          continue;
        }
        String folder = null;
        if (!delimiter.isEmpty()) {
          int at = name.indexOf(delimiter, prefix.length());
          if (at >= 0) {
            folder = name.substring(0, at + delimiter.length());
          }
        }
        if (folder != null && folder.equals(lastPrefix)) {
          continue;
        }
        if (count == max) {
          next = lastEmitted;
          break;
        }
        if (folder != null) {
          prefixes.add(folder);
          lastPrefix = folder;
          lastEmitted = "p:" + folder;
        } else {
          items.add(resource(bucket.name, o));
          lastEmitted = "n:" + name;
        }
        count++;
      }
    }
    ObjectNode response = json.createObjectNode();
    response.put("kind", "storage#objects");
    if (!items.isEmpty()) {
      response.set("items", items);
    }
    if (!prefixes.isEmpty()) {
      response.set("prefixes", prefixes);
    }
    if (next != null) {
      response.put("nextPageToken",
          Base64.getUrlEncoder().withoutPadding().encodeToString(next.getBytes(StandardCharsets.UTF_8)));
    }
    send(ex, 200, response);
  }

  private ObjectNode resource(String bucket, Obj o) {
    ObjectNode node = json.createObjectNode();
    node.put("kind", "storage#object");
    node.put("id", bucket + "/" + o.name + "/" + o.generation);
    String encoded = encodePathSegment(o.name);
    node.put("selfLink", endpoint() + "/storage/v1/b/" + bucket + "/o/" + encoded);
    node.put("mediaLink", endpoint() + "/download/storage/v1/b/" + bucket + "/o/" + encoded + "?generation="
        + o.generation + "&alt=media");
    node.put("name", o.name);
    node.put("bucket", bucket);
    node.put("generation", Long.toString(o.generation));
    node.put("metageneration", Long.toString(o.metageneration));
    node.setAll(o.fields.deepCopy());
    node.put("storageClass", o.storageClass);
    node.put("size", Long.toString(o.body.size()));
    node.put("md5Hash", o.md5);
    node.put("crc32c", o.crc32c);
    node.put("etag", etag(o));
    node.put("timeCreated", RFC3339.format(o.created));
    node.put("updated", RFC3339.format(o.updated));
    node.put("timeStorageClassUpdated", RFC3339.format(o.created));
    if (!o.kmsKeyName.isEmpty()) {
      node.put("kmsKeyName", o.kmsKeyName);
    }
    if (!o.metadata.isEmpty()) {
      ObjectNode md = node.putObject("metadata");
      o.metadata.forEach(md::put);
    }
    return node;
  }

  private static String etag(Obj o) {
    return "C" + Long.toHexString(o.generation) + "." + o.metageneration;
  }

  // ---------------------------------------------------------------- signed URLs

  private void signedUrl(HttpExchange ex, String rawPath, Map<String, String> q) throws IOException {
    String method = ex.getRequestMethod();
    if (!q.containsKey("X-Goog-Signature")) {
      drain(ex.getRequestBody());
      sendXmlError(ex, 403, "AccessDenied", "Anonymous caller does not have access; only V4 signed URLs are"
          + " served on this path.");
      return;
    }
    String failure = verifySignature(ex, rawPath, q);
    if (failure != null) {
      drain(ex.getRequestBody());
      sendXmlError(ex, 403, failure.startsWith("expired") ? "ExpiredToken" : "SignatureDoesNotMatch", failure);
      return;
    }
    List<String> seg = segments(rawPath.substring(1));
    if (seg.size() < 2) {
      sendXmlError(ex, 400, "InvalidURI", "A signed URL names a bucket and an object.");
      return;
    }
    String bucketName = seg.getFirst();
    String name = String.join("/", seg.subList(1, seg.size()));
    Bucket bucket = buckets.get(bucketName);
    if (bucket == null) {
      drain(ex.getRequestBody());
      sendXmlError(ex, 404, "NoSuchBucket", "The specified bucket does not exist.");
      return;
    }
    switch (method) {
      case "GET", "HEAD" -> {
        Obj o;
        synchronized (bucket) {
          o = bucket.objects.get(name);
        }
        if (o == null) {
          sendXmlError(ex, 404, "NoSuchKey", "The specified key does not exist.");
          return;
        }
        serveMedia(ex, o, ex.getRequestHeaders().getFirst("Range"), false);
      }
      case "PUT" -> {
        ObjectNode meta = json.createObjectNode();
        meta.put("name", name);
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
          meta.put("contentType", contentType);
        }
        GcsBody.Sink sink = new GcsBody.Sink(bodies);
        sink.copy(requestBody(ex), 0);
        Obj o = commit(bucket, meta, sink, Map.of());
        ex.getResponseHeaders().add("ETag", "\"" + o.md5 + "\"");
        ex.getResponseHeaders().add("x-goog-generation", Long.toString(o.generation));
        sendEmpty(ex, 200);
      }
      default -> sendXmlError(ex, 405, "MethodNotAllowed", method + " is not allowed on a signed URL here.");
    }
  }

  /** Null if the request carries a valid, unexpired V4 signature of the test service account; else why not. */
  private String verifySignature(HttpExchange ex, String rawPath, Map<String, String> q) {
    if (!"GOOG4-RSA-SHA256".equals(q.get("X-Goog-Algorithm"))) {
      return "unsupported X-Goog-Algorithm " + q.get("X-Goog-Algorithm");
    }
    String[] credential = q.getOrDefault("X-Goog-Credential", "").split("/");
    if (credential.length != 5 || !credential[0].equals(SERVICE_ACCOUNT) || !credential[3].equals("storage")
        || !credential[4].equals("goog4_request")) {
      return "X-Goog-Credential does not name the test service account's storage scope";
    }
    Instant signedAt;
    long expires;
    try {
      signedAt = LocalDateTime.parse(q.getOrDefault("X-Goog-Date", ""), GOOG_DATE).toInstant(ZoneOffset.UTC);
      expires = Long.parseLong(q.getOrDefault("X-Goog-Expires", ""));
    } catch (RuntimeException e) {
      return "X-Goog-Date or X-Goog-Expires is malformed";
    }
    if (expires < 1 || expires > 604_800) {
      return "X-Goog-Expires must be 1-604800 seconds";
    }
    if (!credential[1].equals(q.get("X-Goog-Date").substring(0, 8))) {
      return "the credential date differs from X-Goog-Date";
    }
    // The canonical query string is every parameter but the signature, sorted by name, as the URL encodes them.
    TreeMap<String, String> rawParams = new TreeMap<>();
    String rawQuery = ex.getRequestURI().getRawQuery();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (!k.equals("X-Goog-Signature")) {
        rawParams.put(k, eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    StringBuilder query = new StringBuilder();
    rawParams.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=').append(v));
    StringBuilder headers = new StringBuilder();
    String signedHeaders = q.getOrDefault("X-Goog-SignedHeaders", "");
    for (String h : signedHeaders.split(";")) {
      String value = ex.getRequestHeaders().getFirst(h);
      if (value == null) {
        return "signed header " + h + " is missing from the request";
      }
      headers.append(h).append(':').append(value.strip().replaceAll("\\s+", " ")).append('\n');
    }
    String canonical = ex.getRequestMethod() + "\n" + rawPath + "\n" + query + "\n" + headers + "\n"
        + signedHeaders + "\nUNSIGNED-PAYLOAD";
    String scope = String.join("/", credential[1], credential[2], credential[3], credential[4]);
    String toSign = "GOOG4-RSA-SHA256\n" + q.get("X-Goog-Date") + "\n" + scope + "\n" + sha256Hex(canonical);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key.getPublic());
      rsa.update(toSign.getBytes(StandardCharsets.UTF_8));
      if (!rsa.verify(HexFormat.of().parseHex(q.getOrDefault("X-Goog-Signature", "")))) {
        return "the signature does not match the request";
      }
    } catch (Exception e) {
      return "the signature does not match the request";
    }
    if (clock.instant().isAfter(signedAt.plusSeconds(expires))) {
      return "expired: the signed URL expired at " + signedAt.plusSeconds(expires);
    }
    return null;
  }

  /** The public key URLs and assertions of {@link #SERVICE_ACCOUNT} are checked against. */
  public RSAPublicKey publicKey() {
    return (RSAPublicKey) key.getPublic();
  }

  // ---------------------------------------------------------------- HTTP helpers

  private JsonNode readJson(HttpExchange ex) throws IOException {
    byte[] body = requestBody(ex).readAllBytes();
    if (body.length == 0) {
      return json.createObjectNode();
    }
    if (TRACE) {
      System.err.println("gcs-emulator: body " + new String(body, StandardCharsets.UTF_8));
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new ApiError(400, "parseError", "Parse Error");
    }
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendEmpty(HttpExchange ex, int status) throws IOException {
    ex.getResponseHeaders().set("Content-Length", "0");
    ex.sendResponseHeaders(status, -1);
  }

  private void sendError(HttpExchange ex, int status, String reason, String message) {
    try {
      if (status == 304) {
        ex.sendResponseHeaders(304, -1);
        return;
      }
      ObjectNode root = json.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.put("code", status);
      error.put("message", message);
      ObjectNode detail = error.putArray("errors").addObject();
      detail.put("message", message);
      detail.put("domain", "global");
      detail.put("reason", reason);
      if (status == 412) {
        detail.put("locationType", "header");
        detail.put("location", "If-Match");
      }
      send(ex, status, root);
    } catch (IOException e) {
      // The client went away.
    }
  }

  private static void sendXmlError(HttpExchange ex, int status, String code, String message) throws IOException {
    byte[] body = ("<?xml version='1.0' encoding='UTF-8'?><Error><Code>" + code + "</Code><Message>"
        + message.replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>")
        .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/xml; charset=UTF-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** The request body, inflated when the client sent it gzip-compressed (the Java client may, for uploads). */
  private static InputStream requestBody(HttpExchange ex) throws IOException {
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    InputStream in = ex.getRequestBody();
    return encoding != null && encoding.equalsIgnoreCase("gzip") ? new java.util.zip.GZIPInputStream(in) : in;
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  /** Splits a raw path into percent-decoded segments ('+' stays '+', as paths have no form encoding). */
  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/", -1)) {
      out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    if (!out.isEmpty() && out.getLast().isEmpty()) {
      out.removeLast();
    }
    return out;
  }

  private static String encodePathSegment(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
