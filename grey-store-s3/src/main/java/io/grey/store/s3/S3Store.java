package io.grey.store.s3;

import io.grey.core.InvalidKeyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.Tags;
import io.grey.core.store.VerifyingInputStream;
import io.grey.core.store.WriteCondition;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link BlobStore} over one S3 bucket (or an S3-compatible server) through the AWS SDK for Java v2.
 * Thread-safe; one instance holds one connection pool and should live as long as the application.
 *
 * <p>Each object records its SHA-256 and size in user metadata ({@code x-amz-meta-grey-sha256},
 * {@code x-amz-meta-grey-size}); a whole read verifies both at EOF. The version token is the ETag, so it repeats
 * when identical bytes are written again (S3 derives it from the content). Conditional writes use S3's
 * {@code If-None-Match: *} and {@code If-Match} on the single PUT and on CompleteMultipartUpload, evaluated
 * atomically by S3. The SDK never retries: Grey's retry layer owns retries.
 *
 * <p>Costs in requests: a put is one PUT (or create + parts + complete) plus one HEAD for the last-modified time;
 * a whole get is one GET; a ranged get is HEAD + GET; a list page is one LIST plus one HEAD per listed key
 * (S3 listings carry no user metadata, and the SHA-256 lives there); delete is HEAD + DELETE.
 */
public final class S3Store implements BlobStore {
  static final String SHA256_KEY = "grey-sha256";
  static final String SIZE_KEY = "grey-size";
  private static final int LIST_HEADS_IN_FLIGHT = 16;
  private static final int RANGED_READ_ATTEMPTS = 3;

  private final S3Config config;
  private final S3Client client;
  private final S3Presigner presigner;
  private final MultipartWriter multipart;
  private final Capabilities capabilities;
  // Only for the rare put whose answer lacks a Date header and whose object was replaced before the HEAD.
  private final Clock clock = Clock.systemUTC();

  private S3Store(S3Config config, S3Client client, S3Presigner presigner) {
    this.config = config;
    this.client = client;
    this.presigner = presigner;
    this.multipart = new MultipartWriter(client, config.name(), config.partSize(), config.maxParallelParts());
    this.capabilities = Capabilities.full().withTags(config.tags());
  }

  /**
   * Builds a store for {@code config}. Makes no request: a missing bucket or bad credentials surface on the
   * first call, as {@link NotFoundException} or {@link io.grey.core.AccessDeniedException}.
   */
  public static S3Store create(S3Config config) {
    return create(config, List.of());
  }

  /** As {@link #create(S3Config)}, with SDK interceptors added to every request (fault injection in tests). */
  static S3Store create(S3Config config, List<ExecutionInterceptor> interceptors) {
    AwsCredentialsProvider credentials = switch (config.credentials()) {
      case S3Credentials.DefaultChain chain -> DefaultCredentialsProvider.builder().build();
      case S3Credentials.Static pair ->
          StaticCredentialsProvider.create(AwsBasicCredentials.create(pair.accessKeyId(), pair.secretAccessKey()));
    };
    Region region = Region.of(config.region());
    S3ClientBuilder builder = S3Client.builder()
        .region(region)
        .credentialsProvider(credentials)
        .forcePathStyle(config.forcePathStyle())
        // Waiting for "100 Continue" costs a round trip per PUT; S3 answers errors before reading bodies anyway.
        .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
        // Grey computes its own SHA-256; the SDK's default CRC trailers would need aws-chunked uploads.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(64)
            .expectContinueEnabled(false)
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.doNotRetry());
          interceptors.forEach(o::addExecutionInterceptor);
        });
    config.endpointUri().ifPresent(builder::endpointOverride);
    S3Presigner.Builder presign = S3Presigner.builder()
        .region(region)
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.forcePathStyle()).build());
    config.endpointUri().ifPresent(presign::endpointOverride);
    return new S3Store(config, builder.build(), presign.build());
  }

  /** The configuration this store was built from. */
  public S3Config config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    checkMetadata(options.metadata());
    if (!options.tags().isEmpty() && !config.tags()) {
      throw new InvalidRequestException(
          "store '" + name() + "' has no tags capability (aws.s3.tags is off); put " + key.value() + " without tags");
    }
    String operation = "put " + key.value();
    try (StagedBody staged = StagedBody.stage(body, options.contentLength(), config.multipartThreshold(),
        config.spillDir())) {
      Map<String, String> metadata = new LinkedHashMap<>(options.metadata());
      metadata.put(SHA256_KEY, staged.sha256());
      metadata.put(SIZE_KEY, Long.toString(staged.size()));
      Written written;
      try {
        written = switch (staged) {
          case StagedBody.InMemory memory -> putObject(key, options, metadata, staged,
              RequestBody.fromContentProvider(memory::open, memory.size(), options.contentType()), operation);
          case StagedBody.Spilled spilled -> multipart.upload(createRequest(key, options, metadata), spilled.file(),
              spilled.size(), completeCondition(options.condition()), operation);
        };
      } catch (NotFoundException e) {
        if (options.condition() instanceof WriteCondition.IfVersion) {
          // S3 answers If-Match on an absent key with 404 NoSuchKey: the condition did not hold.
          throw new PreconditionFailedException("store '" + name() + "': " + operation
              + ": if-version condition on an absent object", e);
        }
        throw e;
      }
      return infoAfterWrite(key, written, staged, options);
    }
  }

  private Written putObject(ObjectKey key, PutOptions options, Map<String, String> metadata, StagedBody staged,
      RequestBody body, String operation) {
    PutObjectRequest.Builder request = PutObjectRequest.builder()
        .bucket(config.bucket())
        .key(objectName(key))
        .contentLength(staged.size())
        .contentType(options.contentType())
        .metadata(metadata)
        // S3 checks the body against this digest and refuses the PUT if a byte changed on the way.
        .checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(staged.sha256())));
    if (!options.tags().isEmpty()) {
      request.tagging(tagging(options.tags()));
    }
    if (!config.storageClass().isEmpty()) {
      request.storageClass(config.storageClass());
    }
    S3Encryption sse = config.encryption();
    if (sse.requested()) {
      request.serverSideEncryption(sse.type());
      if (!sse.kmsKeyId().isEmpty()) {
        request.ssekmsKeyId(sse.kmsKeyId());
      }
      if (sse.bucketKey()) {
        request.bucketKeyEnabled(true);
      }
    }
    switch (options.condition()) {
      case WriteCondition.None none -> { }
      case WriteCondition.IfAbsent absent -> request.ifNoneMatch("*");
      case WriteCondition.IfVersion version -> request.ifMatch(quoted(version.version()));
    }
    return call(operation, () -> {
      var response = client.putObject(request.build(), body);
      return Written.of(response.eTag(), response);
    });
  }

  private CreateMultipartUploadRequest createRequest(ObjectKey key, PutOptions options, Map<String, String> metadata) {
    CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
        .bucket(config.bucket())
        .key(objectName(key))
        .contentType(options.contentType())
        .metadata(metadata);
    if (!options.tags().isEmpty()) {
      request.tagging(tagging(options.tags()));
    }
    if (!config.storageClass().isEmpty()) {
      request.storageClass(config.storageClass());
    }
    // A multipart upload takes its encryption at creation; the parts and the completion inherit it.
    S3Encryption sse = config.encryption();
    if (sse.requested()) {
      request.serverSideEncryption(sse.type());
      if (!sse.kmsKeyId().isEmpty()) {
        request.ssekmsKeyId(sse.kmsKeyId());
      }
      if (sse.bucketKey()) {
        request.bucketKeyEnabled(true);
      }
    }
    return request.build();
  }

  private static Consumer<CompleteMultipartUploadRequest.Builder> completeCondition(WriteCondition condition) {
    return switch (condition) {
      case WriteCondition.None none -> b -> { };
      case WriteCondition.IfAbsent absent -> b -> b.ifNoneMatch("*");
      case WriteCondition.IfVersion version -> b -> b.ifMatch(quoted(version.version()));
    };
  }

  /**
   * The info of the version just written. S3's PUT answer carries no last-modified time, so the store reads it
   * with a HEAD; if another writer replaced the object in between, the info is built from what this put wrote,
   * with the time of S3's answer (S3's resolution is one second).
   */
  private ObjectInfo infoAfterWrite(ObjectKey key, Written written, StagedBody staged, PutOptions options) {
    String version = unquoted(written.etag());
    Optional<ObjectInfo> current = head(key);
    if (current.isPresent() && current.get().version().equals(version)
        && current.get().sha256().equals(staged.sha256())) {
      return current.get();
    }
    Instant answeredAt = written.answeredAt()
        .orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS));
    return new ObjectInfo(key, staged.size(), staged.sha256(), version, answeredAt, options.contentType(),
        options.metadata());
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    String operation = "get " + key.value();
    if (range.isAll()) {
      ResponseInputStream<GetObjectResponse> in = call(operation,
          () -> client.getObject(b -> b.bucket(config.bucket()).key(objectName(key))));
      GetObjectResponse r = in.response();
      ObjectInfo info = info(key, r.contentLength(), r.eTag(), r.lastModified(), r.contentType(), r.metadata());
      InputStream stream = new AbortingStream(in);
      String recordedSize = lowerCaseKeys(r.metadata()).get(SIZE_KEY);
      if (!info.sha256().isEmpty()) {
        long size = recordedSize == null ? info.size() : parseSize(recordedSize, info.size());
        stream = new VerifyingInputStream(stream, info.sha256(), size,
            "store '" + name() + "': object " + key.value());
      }
      return new ObjectContent(info, range, stream);
    }
    for (int attempt = 1; ; attempt++) {
      ObjectInfo info = head(key).orElseThrow(() ->
          new NotFoundException("store '" + name() + "': " + operation + ": no such object"));
      if (range.offset() > info.size()) {
        throw new RangeNotSatisfiableException("store '" + name() + "': " + operation + ": range starts at "
            + range.offset() + ", beyond the object's " + info.size() + " bytes");
      }
      long length = range.lengthWithin(info.size());
      if (length == 0) {
        // An empty range is not expressible as an HTTP range; S3 would answer 416.
        return new ObjectContent(info, range, InputStream.nullInputStream());
      }
      GetObjectRequest request = GetObjectRequest.builder().bucket(config.bucket()).key(objectName(key))
          .range("bytes=" + range.offset() + "-" + (range.offset() + length - 1))
          // The bytes must come from the version the info describes.
          .ifMatch(quoted(info.version()))
          .build();
      try {
        return new ObjectContent(info, range, new AbortingStream(client.getObject(request)));
      } catch (SdkException e) {
        boolean replaced = e instanceof S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 404);
        if (!replaced || attempt == RANGED_READ_ATTEMPTS) {
          if (replaced) {
            throw new StoreUnavailableException("store '" + name() + "': " + operation
                + ": the object was replaced during each of " + attempt + " attempts to read a range", e);
          }
          throw S3Errors.map(name(), operation, e);
        }
      }
    }
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    try {
      HeadObjectResponse r = client.headObject(b -> b.bucket(config.bucket()).key(objectName(key)));
      return Optional.of(info(key, r.contentLength(), r.eTag(), r.lastModified(), r.contentType(), r.metadata()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw S3Errors.map(name(), "head " + key.value(), e);
    } catch (SdkException e) {
      throw S3Errors.map(name(), "head " + key.value(), e);
    }
  }

  /**
   * One page: one ListObjectsV2 (more only if S3 returns short pages) and then, in parallel on virtual threads
   * with at most 16 in flight, one HEAD per key, because the SHA-256, content type and metadata are not in
   * S3 listings. Listed infos therefore equal what {@link #head} returns; a key deleted between the LIST and its
   * HEAD is left out. Keys under the bucket prefix that are not valid Grey keys are skipped.
   */
  @Override
  public ListPage list(ListRequest request) {
    String operation = "list " + request.prefix();
    List<ObjectKey> keys = new ArrayList<>();
    String lastListed = "";
    boolean more = false;
    String continuation = null;
    do {
      ListObjectsV2Request.Builder list = ListObjectsV2Request.builder()
          .bucket(config.bucket())
          .prefix(config.prefix() + request.prefix())
          .maxKeys(request.limit() - keys.size());
      if (continuation != null) {
        list.continuationToken(continuation);
      } else if (!request.startAfter().isEmpty()) {
        list.startAfter(config.prefix() + request.startAfter());
      }
      ListObjectsV2Response page = call(operation, () -> client.listObjectsV2(list.build()));
      for (S3Object object : page.contents()) {
        String name = object.key().substring(config.prefix().length());
        lastListed = name;
        grey(name).ifPresent(keys::add);
      }
      more = Boolean.TRUE.equals(page.isTruncated());
      continuation = page.nextContinuationToken();
    } while (more && keys.size() < request.limit() && continuation != null);
    List<ObjectInfo> infos = headAll(keys);
    return new ListPage(infos, more ? lastListed : "");
  }

  private Optional<ObjectKey> grey(String name) {
    try {
      return Optional.of(ObjectKey.of(name));
    } catch (InvalidKeyException e) {
      return Optional.empty();
    }
  }

  private List<ObjectInfo> headAll(List<ObjectKey> keys) {
    Semaphore inFlight = new Semaphore(LIST_HEADS_IN_FLIGHT);
    List<Future<Optional<ObjectInfo>>> futures = new ArrayList<>(keys.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (ObjectKey key : keys) {
        futures.add(threads.submit(() -> {
          inFlight.acquire();
          try {
            return head(key);
          } finally {
            inFlight.release();
          }
        }));
      }
    }
    List<ObjectInfo> infos = new ArrayList<>(keys.size());
    for (Future<Optional<ObjectInfo>> future : futures) {
      try {
        future.get().ifPresent(infos::add);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new StoreUnavailableException("store '" + name() + "': list: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("store '" + name() + "': list interrupted", e);
      }
    }
    return infos;
  }

  /**
   * Deletes the object; S3's DELETE does not say whether there was one, so a HEAD first answers that (an object
   * written between the HEAD and the DELETE is deleted and reported as absent).
   */
  @Override
  public boolean delete(ObjectKey key) {
    boolean existed = head(key).isPresent();
    call("delete " + key.value(), () -> client.deleteObject(b -> b.bucket(config.bucket()).key(objectName(key))));
    return existed;
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    requireTags();
    String operation = "get tags of " + key.value();
    Map<String, String> tags = new HashMap<>();
    call(operation, () -> client.getObjectTagging(b -> b.bucket(config.bucket()).key(objectName(key))))
        .tagSet().forEach(tag -> tags.put(tag.key(), tag.value()));
    return Map.copyOf(tags);
  }

  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    requireTags();
    Tags.validate(tags);
    String operation = "set tags of " + key.value();
    if (tags.isEmpty()) {
      // An empty TagSet is refused by some S3 implementations; deleting the tag set is the portable way to clear.
      call(operation, () -> client.deleteObjectTagging(b -> b.bucket(config.bucket()).key(objectName(key))));
      return;
    }
    call(operation, () -> client.putObjectTagging(b -> b.bucket(config.bucket())
        .key(objectName(key)).tagging(tagging(tags))));
  }

  /**
   * A SigV4 presigned URL for GET or PUT of {@code key}; S3 checks the signature and expiry. A PUT through the
   * URL records no SHA-256, so Grey reads of such an object are not verified.
   *
   * @throws InvalidRequestException if the TTL exceeds {@code presign_max_ttl}
   */
  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    if (request.ttl().compareTo(config.presignMaxTtl()) > 0) {
      throw new InvalidRequestException("store '" + name() + "': presign ttl " + request.ttl()
          + " exceeds aws.s3.presign_max_ttl " + config.presignMaxTtl());
    }
    String operation = "presign " + key.value();
    try {
      URL url = switch (request.method()) {
        case GET -> presigner.presignGetObject(b -> b.signatureDuration(request.ttl())
            .getObjectRequest(g -> g.bucket(config.bucket()).key(objectName(key)))).url();
        case PUT -> presigner.presignPutObject(b -> b.signatureDuration(request.ttl())
            .putObjectRequest(p -> p.bucket(config.bucket()).key(objectName(key)))).url();
      };
      return url.toURI();
    } catch (SdkException e) {
      throw S3Errors.map(name(), operation, e);
    } catch (URISyntaxException e) {
      throw new InvalidRequestException("store '" + name() + "': " + operation + ": presigned URL is not a URI", e);
    }
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }

  String objectName(ObjectKey key) {
    return config.prefix() + key.value();
  }

  private void requireTags() {
    if (!config.tags()) {
      throw new InvalidRequestException("store '" + name() + "' has no tags capability (aws.s3.tags is off)");
    }
  }

  private ObjectInfo info(ObjectKey key, Long contentLength, String etag, Instant lastModified, String contentType,
      Map<String, String> rawMetadata) {
    Map<String, String> metadata = lowerCaseKeys(rawMetadata);
    String sha256 = metadata.getOrDefault(SHA256_KEY, "");
    metadata.remove(SHA256_KEY);
    metadata.remove(SIZE_KEY);
    return new ObjectInfo(key, contentLength == null ? 0 : contentLength, sha256, unquoted(etag),
        lastModified == null ? Instant.EPOCH : lastModified, contentType, metadata);
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> metadata) {
    Map<String, String> lower = new HashMap<>();
    metadata.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return lower;
  }

  private static long parseSize(String recorded, long fallback) {
    try {
      return Long.parseLong(recorded);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private void checkMetadata(Map<String, String> metadata) {
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().equals(SHA256_KEY) || e.getKey().equals(SIZE_KEY)) {
        throw new InvalidRequestException("metadata key '" + e.getKey() + "' is reserved by store '" + name() + "'");
      }
      // S3 carries metadata in HTTP headers: printable ASCII only, or the value would not round-trip.
      if (!e.getValue().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        throw new InvalidRequestException("metadata value of '" + e.getKey()
            + "' must be printable ASCII for store '" + name() + "'");
      }
    }
  }

  private static Tagging tagging(Map<String, String> tags) {
    List<Tag> set = new ArrayList<>();
    tags.forEach((k, v) -> set.add(Tag.builder().key(k).value(v).build()));
    return Tagging.builder().tagSet(set).build();
  }

  private static String quoted(String version) {
    return version.startsWith("\"") ? version : "\"" + version + "\"";
  }

  private static String unquoted(String etag) {
    if (etag == null) {
      return "";
    }
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  private <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw S3Errors.map(name(), operation, e);
    }
  }

  /** Aborts the HTTP connection when a read is closed before its end, instead of draining a large body. */
  private static final class AbortingStream extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private boolean ended;

    AbortingStream(ResponseInputStream<?> response) {
      super(response);
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      ended |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      ended |= n < 0;
      return n;
    }

    @Override
    public void close() throws IOException {
      if (!ended) {
        response.abort();
      }
      super.close();
    }
  }
}
