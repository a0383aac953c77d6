package io.grey.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceAsyncClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobDownloadAsyncResponse;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.grey.core.DataClass;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
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
import java.io.InputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * Grey's store on Azure Blob Storage, through the official {@code azure-storage-blob} SDK. Thread-safe.
 *
 * <p>Layout: a key's data class picks its container ({@code artifacts/...} in {@code artifacts_container},
 * {@code proofs/...} in {@code proofs_container}, {@code state/...} and any other key in
 * {@code state_container}); the blob name is the whole key, so a blob's name in the portal, a lifecycle rule's
 * prefix and a Grey key read the same, and containers may be shared. Listings query each container a prefix can
 * reach and merge them in code point order. Missing containers are created when the store is created.
 *
 * <p>Durability and atomicity: a put streams the body as staged blocks (or one Put Blob for a body that fits in
 * one block) and makes it visible with a single Put Block List that also sets the content type, the user
 * metadata, the tags and {@code grey_sha256}/{@code grey_size}; when put returns, Azure has acknowledged the
 * commit, and no reader ever sees a blob without its digest. A failed upload commits nothing: its staged blocks
 * stay uncommitted, invisible, and Azure discards them after a week. The version token is the blob's ETag, and
 * write conditions are ETag conditions evaluated by Azure on the commit.
 *
 * <p>This backend does not retry (Grey's retry layer does), records no metrics and applies no policy.
 */
public final class AzureBlobStore implements BlobStore {
  private static final String NAME = "azure";
  // Grey's retry layer owns retries; a body cut midway surfaces to the reader instead of resuming here.
  private static final DownloadRetryOptions NO_RESUME = new DownloadRetryOptions().setMaxRetryRequests(0);

  private final AzureBlobConfig config;
  private final Map<String, BlobContainerClient> containers;
  private final Map<String, BlobContainerAsyncClient> asyncContainers;
  private final ExecutorService httpThreads;
  private final BlockUpload upload;
  private final Clock clock;
  private final DelegationKeys delegationKeys;

  private AzureBlobStore(AzureBlobConfig config, Map<String, BlobContainerClient> containers,
      Map<String, BlobContainerAsyncClient> asyncContainers, ExecutorService httpThreads, Clock clock,
      RandomGenerator random) {
    this.config = config;
    this.containers = containers;
    this.asyncContainers = asyncContainers;
    this.httpThreads = httpThreads;
    this.clock = clock;
    this.upload = new BlockUpload(config, random);
    BlobServiceClient service = containers.values().iterator().next().getServiceClient();
    this.delegationKeys = new DelegationKeys(service, clock, config.presignMaxTtl());
  }

  /**
   * Connects to the account of {@code config} and creates its containers if they are missing.
   *
   * @throws io.grey.core.AccessDeniedException if the account refuses the credentials
   * @throws io.grey.core.StoreUnavailableException if the service cannot be reached
   */
  public static AzureBlobStore create(AzureBlobConfig config) {
    return create(config, Clock.systemUTC(), new SecureRandom());
  }

  /** As {@link #create(AzureBlobConfig)}, with the clock that dates SAS expiry and the source of block ids. */
  static AzureBlobStore create(AzureBlobConfig config, Clock clock, RandomGenerator random) {
    return create(config, clock, random, List.of());
  }

  /** As {@link #create(AzureBlobConfig, Clock, RandomGenerator)}, with pipeline policies added (tests observe requests). */
  static AzureBlobStore create(AzureBlobConfig config, Clock clock, RandomGenerator random,
      List<HttpPipelinePolicy> policies) {
    ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    try {
      HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().executor(httpThreads))
          .build();
      // One try per call: Grey's retry layer owns retries and their backoff.
      RequestRetryOptions oneTry = new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null,
          null);
      BlobServiceClientBuilder builder = new BlobServiceClientBuilder().httpClient(http).retryOptions(oneTry);
      policies.forEach(builder::addPolicy);
      switch (config.credentialSource()) {
        case CONNECTION_STRING -> builder.connectionString(config.connectionString());
        case ACCOUNT_KEY -> builder.credential(new StorageSharedKeyCredential(config.accountName(),
            config.accountKey()));
        case AZURE_AD -> builder.credential(AzureAdCredentials.tokenCredential(config, http));
      }
      if (!config.endpoint().isEmpty()) {
        builder.endpoint(config.endpoint());
      } else if (config.credentialSource() != AzureBlobConfig.CredentialSource.CONNECTION_STRING) {
        builder.endpoint("https://" + config.accountName() + ".blob.core.windows.net");
      }
      if (!config.encryptionScope().isEmpty()) {
        // Every Put Blob, Put Block and Put Block List then names the scope; Azure encrypts with its key.
        builder.encryptionScope(config.encryptionScope());
      }
      BlobServiceClient service = builder.buildClient();
      // Downloads go through the async client: its response body is a stream Grey hands to the reader as is.
      BlobServiceAsyncClient asyncService = builder.buildAsyncClient();
      Map<String, BlobContainerClient> containers = new LinkedHashMap<>();
      Map<String, BlobContainerAsyncClient> asyncContainers = new LinkedHashMap<>();
      for (DataClass dataClass : DataClass.values()) {
        String name = config.container(dataClass);
        if (!containers.containsKey(name)) {
          BlobContainerClient container = service.getBlobContainerClient(name);
          try {
            container.createIfNotExists();
          } catch (RuntimeException e) {
            throw AzureErrors.map("create container", name, e);
          }
          containers.put(name, container);
          asyncContainers.put(name, asyncService.getBlobContainerAsyncClient(name));
        }
      }
      return new AzureBlobStore(config, Map.copyOf(containers), Map.copyOf(asyncContainers), httpThreads, clock,
          random);
    } catch (RuntimeException e) {
      httpThreads.shutdownNow();
      throw e;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.full();
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    return upload.put(key, blob(key), body, options);
  }

  /**
   * One GET per read, streamed: the response's headers give the info (size, digest, ETag), its body is read as it
   * arrives through a window of {@link BodyStream#IN_FLIGHT} buffers, so memory stays constant for any size and
   * every byte comes from the one version the info describes. A whole read verifies the recorded size and
   * SHA-256 at EOF. Only a range that starts at or past the end costs a second request (a HEAD), because Azure
   * answers 416 there and only the size tells an empty read from an invalid one.
   */
  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    if (range.length() == 0) {
      // An empty range cannot be expressed as an HTTP range; the answer is the info and no bytes.
      ObjectInfo info = head(key).orElseThrow(() -> new NotFoundException("azure: no object " + where(key)));
      checkOffset(key, range, info.size());
      return new ObjectContent(info, range, InputStream.nullInputStream());
    }
    BlobRange blobRange = range.isAll() ? null
        : new BlobRange(range.offset(), range.length() == ReadRange.TO_END ? null : range.length());
    BlobDownloadAsyncResponse response;
    try {
      response = asyncBlob(key).downloadStreamWithResponse(blobRange, NO_RESUME, null, false).block();
    } catch (RuntimeException e) {
      if (blobRange != null && AzureErrors.isInvalidRange(e)) {
        ObjectInfo info = head(key).orElseThrow(() -> new NotFoundException("azure: no object " + where(key)));
        checkOffset(key, range, info.size());
        return new ObjectContent(info, range, InputStream.nullInputStream());
      }
      throw AzureErrors.map("read", where(key), e);
    }
    BlobDownloadHeaders headers = response.getDeserializedHeaders();
    long size = blobRange == null ? headers.getContentLength() : totalSize(headers.getContentRange());
    ObjectInfo info = new ObjectInfo(key, size,
        MetadataNames.greyEntry(headers.getMetadata(), MetadataNames.SHA256).orElse(""), version(headers.getETag()),
        headers.getLastModified().toInstant(), contentType(headers.getContentType()),
        MetadataNames.userMetadata(headers.getMetadata()));
    InputStream body = BodyStream.of(response.getValue(), where(key));
    if (!range.isAll() || info.sha256().isEmpty()) {
      // A range has nothing to verify against; neither has a blob written without Grey (no recorded digest).
      return new ObjectContent(info, range, body);
    }
    long recordedSize = MetadataNames.greyEntry(headers.getMetadata(), MetadataNames.SIZE)
        .flatMap(AzureBlobStore::parseSize).orElse(info.size());
    return new ObjectContent(info, range, new VerifyingInputStream(body, info.sha256(), recordedSize, where(key)));
  }

  private void checkOffset(ObjectKey key, ReadRange range, long size) {
    if (range.offset() > size) {
      throw new RangeNotSatisfiableException("azure: range offset " + range.offset()
          + " is beyond the end of " + where(key) + " (" + size + " bytes)");
    }
  }

  /** The blob's whole size from a {@code Content-Range: bytes first-last/size} answer. */
  private static long totalSize(String contentRange) {
    int slash = contentRange == null ? -1 : contentRange.lastIndexOf('/');
    if (slash < 0) {
      throw new StoreUnavailableException("azure: ranged read answered without a usable Content-Range: "
          + contentRange);
    }
    return Long.parseLong(contentRange.substring(slash + 1).strip());
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    return properties(blob(key), key).map(p -> info(key, p));
  }

  @Override
  public ListPage list(ListRequest request) {
    int want = request.limit() + 1;
    List<ObjectInfo> candidates = new ArrayList<>();
    for (BlobContainerClient container : containersFor(request.prefix())) {
      candidates.addAll(listContainer(container, request.prefix(), request.startAfter(), want));
    }
    candidates.sort((a, b) -> a.key().compareTo(b.key()));
    if (candidates.size() <= request.limit()) {
      return new ListPage(candidates, "");
    }
    List<ObjectInfo> page = candidates.subList(0, request.limit());
    return new ListPage(page, page.getLast().key().value());
  }

  @Override
  public boolean delete(ObjectKey key) {
    try {
      return Boolean.TRUE.equals(blob(key).deleteIfExistsWithResponse(null, null, null, Context.NONE).getValue());
    } catch (RuntimeException e) {
      throw AzureErrors.map("delete", where(key), e);
    }
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    try {
      return Map.copyOf(blob(key).getTags());
    } catch (RuntimeException e) {
      throw AzureErrors.map("get tags of", where(key), e);
    }
  }

  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    Tags.validate(tags);
    try {
      blob(key).setTags(Map.copyOf(tags));
    } catch (RuntimeException e) {
      throw AzureErrors.map("set tags of", where(key), e);
    }
  }

  /**
   * A SAS URL for this one blob: read for GET, write and create for PUT (the holder sends
   * {@code x-ms-blob-type: BlockBlob}). Valid from now until the TTL, which may not exceed
   * {@code presign_max_ttl}. Signed with the account key, or with Azure AD credentials by a user delegation key
   * (fetched once and reused while it outlives the URL's expiry). A blob uploaded through such a URL has no recorded digest, so whole reads of it
   * are not verified.
   */
  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    if (request.ttl().compareTo(config.presignMaxTtl()) > 0) {
      throw new InvalidRequestException("presign ttl " + request.ttl() + " exceeds the configured maximum "
          + config.presignMaxTtl() + " of store '" + NAME + "'");
    }
    BlobSasPermission permission = switch (request.method()) {
      case GET -> new BlobSasPermission().setReadPermission(true);
      case PUT -> new BlobSasPermission().setWritePermission(true).setCreatePermission(true);
    };
    OffsetDateTime expiry = OffsetDateTime.ofInstant(clock.instant().plus(request.ttl()), ZoneOffset.UTC);
    BlockBlobClient blob = blob(key);
    BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiry, permission);
    String sas;
    if (config.credentialSource() == AzureBlobConfig.CredentialSource.AZURE_AD) {
      // Without the account key, a SAS is signed with a user delegation key the identity obtains from Azure.
      sas = blob.generateUserDelegationSas(values, delegationKeys.keyValidUntil(expiry));
    } else {
      sas = blob.generateSas(values);
    }
    return URI.create(blob.getBlobUrl() + "?" + sas);
  }

  @Override
  public void close() {
    httpThreads.shutdownNow();
  }

  // ---------------------------------------------------------------- mapping

  private BlockBlobClient blob(ObjectKey key) {
    return containers.get(containerName(key)).getBlobClient(key.value()).getBlockBlobClient();
  }

  private BlobAsyncClient asyncBlob(ObjectKey key) {
    return asyncContainers.get(containerName(key)).getBlobAsyncClient(key.value());
  }

  private String containerName(ObjectKey key) {
    return key.dataClass().map(config::container).orElse(config.stateContainer());
  }

  private String where(ObjectKey key) {
    return containerName(key) + "/" + key.value();
  }

  /** The containers that can hold a key starting with {@code prefix}, each once. */
  private List<BlobContainerClient> containersFor(String prefix) {
    List<String> names = new ArrayList<>();
    boolean outsideClasses = true;
    for (DataClass dataClass : DataClass.values()) {
      String classPrefix = dataClass.prefix() + "/";
      if (prefix.startsWith(classPrefix)) {
        outsideClasses = false;
      }
      if (prefix.startsWith(classPrefix) || classPrefix.startsWith(prefix)) {
        names.add(config.container(dataClass));
      }
    }
    if (outsideClasses) {
      names.add(config.stateContainer());
    }
    return names.stream().distinct().map(containers::get).toList();
  }

  private List<ObjectInfo> listContainer(BlobContainerClient container, String prefix, String startAfter, int want) {
    Optional<String> start = CodePointListing.serverStart(prefix, startAfter);
    if (start.isEmpty()) {
      return List.of();
    }
    // startFrom is inclusive, so a continuation's first item is usually startAfter itself: ask for one more.
    int perPage = Math.min(5000, start.get().isEmpty() ? want : want + 1);
    ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(perPage)
        .setDetails(new BlobListDetails().setRetrieveMetadata(true));
    if (!prefix.isEmpty()) {
      options.setPrefix(prefix);
    }
    if (!start.get().isEmpty()) {
      options.setStartFrom(start.get());
    }
    try {
      Iterator<BlobItem> items = container.listBlobs(options, null).iterator();
      return CodePointListing.select(items, BlobItem::getName, prefix, startAfter, want).stream()
          .map(this::info).toList();
    } catch (RuntimeException e) {
      throw AzureErrors.map("list", container.getBlobContainerName() + "/" + prefix + "*", e);
    }
  }

  private Optional<BlobProperties> properties(BlockBlobClient blob, ObjectKey key) {
    try {
      return Optional.of(blob.getPropertiesWithResponse(null, null, Context.NONE).getValue());
    } catch (RuntimeException e) {
      if (AzureErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw AzureErrors.map("read properties of", where(key), e);
    }
  }

  private ObjectInfo info(ObjectKey key, BlobProperties p) {
    return new ObjectInfo(key, p.getBlobSize(),
        MetadataNames.greyEntry(p.getMetadata(), MetadataNames.SHA256).orElse(""), version(p.getETag()),
        p.getLastModified().toInstant(), contentType(p.getContentType()), MetadataNames.userMetadata(p.getMetadata()));
  }

  private ObjectInfo info(BlobItem item) {
    var p = item.getProperties();
    return new ObjectInfo(ObjectKey.of(item.getName()), p.getContentLength() == null ? 0 : p.getContentLength(),
        MetadataNames.greyEntry(item.getMetadata(), MetadataNames.SHA256).orElse(""), version(p.getETag()),
        p.getLastModified().toInstant(), contentType(p.getContentType()),
        MetadataNames.userMetadata(item.getMetadata()));
  }

  private static Optional<Long> parseSize(String recorded) {
    try {
      return Optional.of(Long.parseLong(recorded));
    } catch (NumberFormatException e) {
      // A mangled size cannot match any body, so the read fails its integrity check at EOF.
      return Optional.of(-1L);
    }
  }

  private static String contentType(String contentType) {
    return contentType == null || contentType.isEmpty() ? PutOptions.DEFAULT_CONTENT_TYPE : contentType;
  }

  /** Grey's version token: the ETag without the quotes HTTP puts around it (listings give it bare). */
  static String version(String etag) {
    String bare = etag.strip();
    if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    return bare;
  }

  /** The ETag conditions for {@code condition} on a commit. */
  static BlobRequestConditions conditions(WriteCondition condition) {
    return switch (condition) {
      case WriteCondition.None none -> null;
      case WriteCondition.IfAbsent absent -> new BlobRequestConditions().setIfNoneMatch("*");
      case WriteCondition.IfVersion ifVersion ->
          new BlobRequestConditions().setIfMatch("\"" + version(ifVersion.version()) + "\"");
    };
  }
}
