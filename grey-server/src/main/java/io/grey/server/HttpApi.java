package io.grey.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.AccessDeniedException;
import io.grey.core.ArtifactName;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.Tenant;
import io.grey.core.artifact.ProofClaim;
import io.grey.core.artifact.SignedProof;
import io.grey.core.context.CallContext;
import io.grey.cost.CostReport;
import io.grey.cost.CostService;
import io.grey.core.store.ListPage;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.WriteCondition;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grey's HTTP API: parses requests, authenticates them, calls the artifact API or the layered store, and
 * formats the answer. It holds no business logic. Bodies stream in both directions; nothing reads a whole
 * object into memory. Thread-safe: the node is published once, after the store stack is open.
 */
final class HttpApi {
  static final String TAG_HEADER = "X-Grey-Tag-";
  static final String META_HEADER = "X-Grey-Meta-";
  static final String SHA256_HEADER = "X-Grey-Sha256";
  static final String JSON = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final int DEFAULT_LIST_LIMIT = 1000;
  static final Duration DEFAULT_PRESIGN_TTL = Duration.ofHours(1);
  static final int MAX_PROOF_BYTES = 64 * 1024;
  static final String PRESIGNED_ACTOR = "presigned-url";

  private static final String ERROR_WRITTEN = "grey.error-written";
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern HEADER_TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final String PRESIGN_REFUSED = "presigned URL is invalid or expired";

  private final PrometheusMeterRegistry registry;
  private final String metricsPath;
  private final String hidden;
  private volatile Node node;
  private volatile CostService cost;

  /**
   * An API scraping {@code registry} at {@code metricsPath}; {@code hiddenPath} (the data directory) is blanked
   * out of any message before it reaches a client.
   */
  HttpApi(PrometheusMeterRegistry registry, String metricsPath, String hiddenPath) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.metricsPath = Objects.requireNonNull(metricsPath, "metricsPath");
    this.hidden = Objects.requireNonNull(hiddenPath, "hiddenPath");
  }

  /** Starts answering storage requests from {@code ready}; until then they get 503. */
  void serve(Node ready) {
    this.node = Objects.requireNonNull(ready, "ready");
  }

  /** Starts answering cost requests from {@code metering}; until then (or without metering) they get 404. */
  void serveCost(CostService metering) {
    this.cost = Objects.requireNonNull(metering, "metering");
  }

  /** Registers every route and the error mapping; each route names the request's span after itself. */
  void register(RoutesConfig routes) {
    routes.get("/healthz", named("healthz", "/healthz",
        ctx -> json(ctx, 200, MAPPER.createObjectNode().put("status", "ok"))));
    routes.get(metricsPath, named("metrics", metricsPath,
        ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape())));
    routes.get(Dashboard.OVERVIEW_PATH, named("overview", Dashboard.OVERVIEW_PATH, this::overview));
    for (String file : Dashboard.FILES.keySet()) {
      routes.get(file, named("dashboard", file, ctx -> Dashboard.serve(ctx, file)));
    }

    routes.put("/v1/artifacts/<path>", named("put_artifact", "/v1/artifacts/<path>", this::putArtifact));
    routes.get("/v1/artifacts/<path>", named("get_artifact", "/v1/artifacts/<path>", this::getArtifact));
    routes.head("/v1/artifacts/<path>", named("head_artifact", "/v1/artifacts/<path>", this::headArtifact));
    routes.delete("/v1/artifacts/<path>", named("delete_artifact", "/v1/artifacts/<path>", this::deleteArtifact));
    routes.post("/v1/artifacts/<path>", named("presign_artifact", "/v1/artifacts/<path>", this::presignArtifact));
    routes.get("/v1/presigned/<path>", named("get_presigned", "/v1/presigned/<path>", this::getPresigned));
    routes.put("/v1/proofs/<path>", named("put_proof", "/v1/proofs/<path>", this::putProof));
    routes.get("/v1/proofs/<path>", named("get_proofs", "/v1/proofs/<path>", this::getProofs));
    routes.get("/api/v1/cost/report", named("cost_report", "/api/v1/cost/report", this::costReport));

    routes.exception(Exception.class, this::failed);
    routes.error(404, ctx -> {
      if (ctx.attribute(ERROR_WRITTEN) == null) {
        writeError(ctx, new ApiError(404, "not_found", "no route for " + ctx.method() + " " + ctx.path()));
      }
    });
  }

  private static Handler named(String operation, String route, Handler handler) {
    return ctx -> {
      HttpTracing.name(operation, route);
      handler.handle(ctx);
    };
  }

  // ---- overview ----

  /**
   * The dashboard's data: stores and replication are the node's and shown to any valid token; cost rows only for
   * the caller's own tenant.
   */
  private void overview(Context ctx) throws Exception {
    Node current = ready();
    Principal principal =
        current.authenticator().authenticate(Objects.requireNonNullElse(ctx.header("Authorization"), ""));
    ctx.header("Cache-Control", "no-store");
    json(ctx, 200, Dashboard.overviewJson(current.overview(), principal.tenant(), current.clock().instant()));
  }

  // ---- artifacts ----

  private void putArtifact(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.ARTIFACTS);
    ArtifactName name = request.path().name();
    PutOptions options = putOptions(ctx);
    Node current = request.node();
    as(request, () -> {
      ObjectInfo info;
      try (InputStream body = ctx.req().getInputStream()) {
        info = current.artifacts().storeArtifact(
            request.path().tenant(), request.path().task(), name, body, options);
      }
      ctx.header("ETag", etag(info.version()));
      ctx.header(SHA256_HEADER, info.sha256());
      json(ctx, 200, objectJson(info));
    });
  }

  private void getArtifact(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.ARTIFACTS);
    ArtifactPath.Task path = request.path();
    if (path.isCollection()) {
      list(ctx, request);
      return;
    }
    ArtifactName name = path.name();
    Node current = request.node();
    as(request, () -> {
      Optional<ByteRange> range = range(ctx);
      ReadRange read = range.isEmpty() ? ReadRange.all() : range.get().fromEnd()
          ? range.get().resolve(current.artifacts().headArtifact(path.tenant(), path.task(), name)
              .orElseThrow(() -> notFound(path, name)).size())
          : range.get().request();
      ObjectContent content = open(
          () -> current.artifacts().getArtifact(path.tenant(), path.task(), name, read),
          () -> current.artifacts().headArtifact(path.tenant(), path.task(), name), range.isPresent(), ctx);
      send(ctx, content, range.isPresent(), () -> tags(current, content.info().key()));
    });
  }

  /** The object's tags, or none on a store without the tags capability (which has none to give). */
  private static Map<String, String> tags(Node node, ObjectKey key) {
    return node.store().capabilities().tags() ? node.store().getTags(key) : Map.of();
  }

  private void headArtifact(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.ARTIFACTS);
    ArtifactPath.Task path = request.path();
    ArtifactName name = path.name();
    Node current = request.node();
    as(request, () -> {
      ObjectInfo info = current.artifacts().headArtifact(path.tenant(), path.task(), name)
          .orElseThrow(() -> notFound(path, name));
      describe(ctx, info, tags(current, info.key()));
      ctx.res().setContentLengthLong(info.size());
      ctx.status(200);
    });
  }

  private void deleteArtifact(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.ARTIFACTS);
    ArtifactPath.Task path = request.path();
    ArtifactName name = path.name();
    as(request, () -> {
      boolean deleted = request.node().artifacts().deleteArtifact(path.tenant(), path.task(), name);
      json(ctx, 200, MAPPER.createObjectNode().put("deleted", deleted));
    });
  }

  private void list(Context ctx, Authorized request) {
    ArtifactPath.Task path = request.path();
    String startAfter = Objects.requireNonNullElse(ctx.queryParam("start_after"), "");
    int limit = intParam(ctx, "limit", DEFAULT_LIST_LIMIT);
    as(request, () -> {
      ListPage page = request.node().artifacts().listArtifacts(path.tenant(), path.task(), startAfter, limit);
      ObjectNode body = MAPPER.createObjectNode();
      ArrayNode objects = body.putArray("objects");
      page.objects().forEach(info -> objects.add(objectJson(info)));
      body.put("next", page.nextToken());
      json(ctx, 200, body);
    });
  }

  private void presignArtifact(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.ARTIFACTS);
    ArtifactPath.Task path = request.path();
    ArtifactName name = path.presignedName();
    Node current = request.node();
    long seconds = intParam(ctx, "ttl", (int) DEFAULT_PRESIGN_TTL.toSeconds());
    if (seconds < 1 || seconds > current.maxPresignTtl().toSeconds()) {
      throw new InvalidRequestException("ttl must be 1 to " + current.maxPresignTtl().toSeconds()
          + " seconds (server.max_presign_ttl), got " + seconds);
    }
    as(request, () -> {
      URI url = current.artifacts().presignArtifact(path.tenant(), path.task(), name, Duration.ofSeconds(seconds));
      ObjectNode body = MAPPER.createObjectNode().put("url", url.toString());
      expiresAt(url).ifPresent(at -> body.put("expires_at", at.toString()));
      json(ctx, 200, body);
    });
  }

  private void getPresigned(Context ctx) throws Exception {
    Node current = ready();
    ObjectKey key;
    try {
      String raw = ctx.req().getRequestURI().substring(ArtifactPath.PRESIGNED.length());
      key = ObjectKey.of(ArtifactPath.decodeKey(raw));
      if (!"GET".equals(ctx.queryParam("method"))) {
        throw new AccessDeniedException(PRESIGN_REFUSED);
      }
      current.presigner().verify("GET", key,
          Objects.requireNonNullElse(ctx.queryParam("expires"), ""),
          Objects.requireNonNullElse(ctx.queryParam("signature"), ""));
    } catch (GreyException refused) {
      // One answer for every defect, so that a prober learns nothing about which part was wrong.
      LOG.debug("presigned URL refused: {}", refused.getMessage());
      throw new AccessDeniedException(PRESIGN_REFUSED);
    }
    CallContext.runAs(PRESIGNED_ACTOR, () -> unchecked(() -> {
      Optional<ByteRange> range = range(ctx);
      ReadRange read = range.isEmpty() ? ReadRange.all() : range.get().fromEnd()
          ? range.get().resolve(current.store().head(key)
              .orElseThrow(() -> new NotFoundException("no object at the presigned key")).size())
          : range.get().request();
      ObjectContent content = open(() -> current.store().get(key, read),
          () -> current.store().head(key), range.isPresent(), ctx);
      send(ctx, content, range.isPresent(), () -> tags(current, key));
    }));
  }

  // ---- cost ----

  /**
   * {@code GET /api/v1/cost/report?tenant=&from=&to=&by=}: the caller's tenant only (the default); from and to
   * are ISO days, both included (default: this month so far); by is cloud, service, task or day (default
   * service).
   */
  private void costReport(Context ctx) throws Exception {
    Node current = ready();
    Principal principal =
        current.authenticator().authenticate(Objects.requireNonNullElse(ctx.header("Authorization"), ""));
    String tenantParam = ctx.queryParam("tenant");
    Tenant tenant = tenantParam == null || tenantParam.isEmpty() ? principal.tenant() : new Tenant(tenantParam);
    TokenAuthenticator.authorize(principal, tenant);
    CostService metering = cost;
    if (metering == null) {
      throw new NotFoundException("cost metering is disabled on this node (cost.enabled: false)");
    }
    LocalDate today = metering.today();
    LocalDate from = day(ctx, "from", today.withDayOfMonth(1));
    LocalDate to = day(ctx, "to", today);
    CostReport.Breakdown by = CostReport.Breakdown.parse(Objects.requireNonNullElse(ctx.queryParam("by"), "service"));
    json(ctx, 200, metering.report(tenant.value(), from, to, by).toJson());
  }

  private static LocalDate day(Context ctx, String name, LocalDate fallback) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(name + " must be a day like 2026-11-30, got '" + value + "'");
    }
  }

  // ---- proofs ----

  private void putProof(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.PROOFS);
    requireTaskOnly(request.path());
    ProofClaim claim = parseClaim(ctx);
    as(request, () -> {
      SignedProof proof = request.node().artifacts().storeProof(request.path().tenant(), request.path().task(), claim);
      ctx.status(200).contentType(JSON).result(proof.toJson());
    });
  }

  private void getProofs(Context ctx) throws Exception {
    Authorized request = authorize(ctx, ArtifactPath.PROOFS);
    requireTaskOnly(request.path());
    ArtifactPath.Task path = request.path();
    as(request, () -> {
      ObjectNode body = MAPPER.createObjectNode();
      ArrayNode proofs = body.putArray("proofs");
      for (SignedProof proof : request.node().artifacts().proofs(path.tenant(), path.task())) {
        ObjectNode entry = (ObjectNode) MAPPER.readTree(proof.toJson());
        entry.put("verified", request.node().artifacts().verifyProof(path.tenant(), path.task(), proof.id()).valid());
        proofs.add(entry);
      }
      json(ctx, 200, body);
    });
  }

  private static void requireTaskOnly(ArtifactPath.Task path) {
    if (!path.isCollection()) {
      throw new InvalidRequestException("proofs live at /v1/proofs/{tenant}/{task}; nothing may follow the task");
    }
  }

  private static ProofClaim parseClaim(Context ctx) throws IOException {
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes(MAX_PROOF_BYTES + 1);
    }
    if (bytes.length > MAX_PROOF_BYTES) {
      throw new InvalidRequestException("a proof claim is at most " + MAX_PROOF_BYTES + " bytes of JSON");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the proof claim is not valid JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidRequestException("the proof claim must be a JSON object {\"platform\": ..., \"measurement\": ...}");
    }
    for (var names = tree.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!field.equals("platform") && !field.equals("measurement")) {
        throw new InvalidRequestException("unknown field '" + field + "' in the proof claim");
      }
    }
    return new ProofClaim(text(tree, "platform"), text(tree, "measurement"));
  }

  private static String text(JsonNode tree, String field) {
    JsonNode value = tree.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new InvalidRequestException("the proof claim needs a non-empty string '" + field + "'");
    }
    return value.asText();
  }

  // ---- request parsing ----

  /** An authenticated request whose path names a tenant the caller may act for. */
  private record Authorized(Node node, Principal principal, ArtifactPath.Task path) {}

  private Authorized authorize(Context ctx, String prefix) {
    Node current = ready();
    // Authentication comes before any look at the path: a caller without a token learns nothing.
    Principal principal =
        current.authenticator().authenticate(Objects.requireNonNullElse(ctx.header("Authorization"), ""));
    ArtifactPath.Task path = ArtifactPath.task(ctx.req().getRequestURI(), prefix);
    TokenAuthenticator.authorize(principal, path.tenant());
    return new Authorized(current, principal, path);
  }

  private Node ready() {
    Node current = node;
    if (current == null) {
      throw new StoreUnavailableException("the node is starting");
    }
    return current;
  }

  private static PutOptions putOptions(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    PutOptions options = PutOptions.defaults().withLength(length < 0 ? PutOptions.UNKNOWN_LENGTH : length)
        .withCondition(condition(ctx));
    String contentType = ctx.req().getContentType();
    if (contentType != null && !contentType.isBlank()) {
      options = options.withContentType(contentType);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String header : Collections.list(ctx.req().getHeaderNames())) {
      if (header.regionMatches(true, 0, TAG_HEADER, 0, TAG_HEADER.length())) {
        tags.put(header.substring(TAG_HEADER.length()), ctx.req().getHeader(header));
      } else if (header.regionMatches(true, 0, META_HEADER, 0, META_HEADER.length())) {
        metadata.put(header.substring(META_HEADER.length()).toLowerCase(Locale.ROOT), ctx.req().getHeader(header));
      }
    }
    return options.withTags(tags).withMetadata(metadata);
  }

  private static WriteCondition condition(Context ctx) {
    String ifNoneMatch = ctx.header("If-None-Match");
    String ifMatch = ctx.header("If-Match");
    if (ifNoneMatch != null && ifMatch != null) {
      throw new InvalidRequestException("give If-None-Match or If-Match, not both");
    }
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw new InvalidRequestException("If-None-Match on a PUT must be '*' (create only if absent)");
      }
      return WriteCondition.ifAbsent();
    }
    if (ifMatch != null) {
      String version = unquote(ifMatch.trim());
      if (version.equals("*") || version.isEmpty() || version.contains(",")) {
        throw new InvalidRequestException("If-Match must be one version as returned in the ETag header");
      }
      return WriteCondition.ifVersion(version);
    }
    return WriteCondition.none();
  }

  private static String unquote(String etag) {
    String value = etag.startsWith("W/") ? etag.substring(2) : etag;
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static Optional<ByteRange> range(Context ctx) {
    String header = ctx.header("Range");
    return header == null ? Optional.empty() : Optional.of(ByteRange.parse(header));
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("query parameter " + name + " must be an integer, got '" + value + "'");
    }
  }

  /**
   * Opens a read, answering 416 with the object's size when the range starts at or after its end (a store
   * yields an empty stream for a range starting exactly at the end; HTTP calls that unsatisfiable).
   */
  private static ObjectContent open(
      Supplier<ObjectContent> open, Supplier<Optional<ObjectInfo>> head, boolean partial, Context ctx) {
    ObjectContent content;
    try {
      content = open.get();
    } catch (RangeNotSatisfiableException e) {
      head.get().ifPresent(info -> ctx.header("Content-Range", "bytes */" + info.size()));
      throw e;
    }
    if (partial && content.range().offset() >= content.info().size()) {
      content.close();
      ctx.header("Content-Range", "bytes */" + content.info().size());
      throw new RangeNotSatisfiableException("Range starts at byte " + content.range().offset()
          + " but the object has " + content.info().size() + " bytes");
    }
    return content;
  }

  // ---- responses ----

  private static void send(
      Context ctx, ObjectContent content, boolean partial, Supplier<Map<String, String>> tags) throws IOException {
    try (content) {
      ObjectInfo info = content.info();
      ReadRange range = content.range();
      long length = range.lengthWithin(info.size());
      HttpServletResponse res = ctx.res();
      describe(ctx, info, tags.get());
      if (partial) {
        res.setStatus(206);
        res.setHeader("Content-Range",
            "bytes " + range.offset() + "-" + (range.offset() + length - 1) + "/" + info.size());
      } else {
        res.setStatus(200);
      }
      res.setContentLengthLong(length);
      OutputStream out = res.getOutputStream();
      try {
        BodyCopy.copy(content.stream(), out);
      } catch (GreyException | IOException e) {
        throw new BodyFailure(e);
      }
    }
  }

  private static void describe(Context ctx, ObjectInfo info, Map<String, String> tags) {
    HttpServletResponse res = ctx.res();
    res.setContentType(info.contentType());
    res.setHeader("ETag", etag(info.version()));
    res.setHeader(SHA256_HEADER, info.sha256());
    res.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(info.lastModified().atOffset(ZoneOffset.UTC)));
    res.setHeader("Accept-Ranges", "bytes");
    info.metadata().forEach((key, value) -> res.setHeader(META_HEADER + key, value));
    tags.forEach((key, value) -> {
      // Tag keys may hold characters a header name cannot (space, '/', ':', '='); those tags are not sent.
      if (HEADER_TOKEN.matcher(key).matches()) {
        res.setHeader(TAG_HEADER + key, value);
      }
    });
  }

  private static String etag(String version) {
    return "\"" + version + "\"";
  }

  private static ObjectNode objectJson(ObjectInfo info) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("key", info.key().value());
    String[] parts = info.key().value().split("/", 4);
    node.put("name", parts.length == 4 ? parts[3] : info.key().value());
    node.put("size", info.size());
    node.put("sha256", info.sha256());
    node.put("version", info.version());
    node.put("last_modified", info.lastModified().toString());
    node.put("content_type", info.contentType());
    return node;
  }

  private static Optional<Instant> expiresAt(URI url) {
    String query = url.getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("expires=")) {
        try {
          return Optional.of(Instant.ofEpochSecond(Long.parseLong(pair.substring("expires=".length()))));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static NotFoundException notFound(ArtifactPath.Task path, ArtifactName name) {
    return new NotFoundException("no artifact '" + name.value() + "' in task '" + path.task().value()
        + "' of tenant '" + path.tenant().value() + "'");
  }

  private static void json(Context ctx, int status, JsonNode body) throws JsonProcessingException {
    ctx.status(status).contentType(JSON).result(MAPPER.writeValueAsString(body));
  }

  // ---- failures ----

  /** A failure while the body of a response was being streamed, after the status line may have gone out. */
  private static final class BodyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyFailure(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  private void failed(Exception error, Context ctx) {
    Throwable cause = error instanceof BodyFailure body ? body.getCause() : unwrap(error);
    HttpServletResponse res = ctx.res();
    if (error instanceof BodyFailure && res.isCommitted()) {
      // Status and part of the body are out: the only honest signal left is to cut the connection. The body
      // is short of its Content-Length, so Jetty aborts the connection when the exchange ends.
      if (cause instanceof GreyException grey) {
        LOG.error("{} {}: {} while streaming the body ({}); connection aborted",
            ctx.method(), ctx.path(), grey.code(), grey.getMessage());
      } else {
        LOG.debug("{} {}: client went away while streaming: {}", ctx.method(), ctx.path(), cause.toString());
      }
      return;
    }
    ApiError answer;
    if (cause instanceof GreyException grey) {
      answer = ApiError.of(grey);
      if (answer.serverSide()) {
        LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), grey.code(), grey);
      }
    } else {
      answer = ApiError.internal();
      LOG.error("{} {} failed", ctx.method(), ctx.path(), cause);
    }
    if (!res.isCommitted()) {
      String contentRange = res.getHeader("Content-Range");
      res.reset();
      if (answer.status() == 416 && contentRange != null) {
        res.setHeader("Content-Range", contentRange);
      }
    }
    writeError(ctx, answer);
  }

  private void writeError(Context ctx, ApiError answer) {
    if (answer.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"grey\"");
    }
    if (answer.status() == 429 || answer.status() == 503) {
      ctx.header("Retry-After", "1");
    }
    String message = hidden.isEmpty() ? answer.message() : answer.message().replace(hidden, "<data_dir>");
    ObjectNode body = MAPPER.createObjectNode().put("code", answer.code()).put("message", message);
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    try {
      ctx.status(answer.status()).contentType(JSON).result(MAPPER.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.status(500).contentType(JSON).result("{\"code\":\"internal\",\"message\":\"internal server error\"}");
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof Wrapped || cause instanceof UncheckedIOException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  // ---- running as the caller ----

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  /** Carries a checked exception out of a {@link CallContext} body. */
  private static final class Wrapped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Wrapped(Exception cause) {
      super(cause);
    }
  }

  private static void as(Authorized request, Action action) {
    CallContext.runAs(request.principal().actor(), () -> unchecked(action));
  }

  private static void unchecked(Action action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new Wrapped(e);
    }
  }
}
